package io.dnslb.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StrictKeysTest {
  @Test
  void reportsEachUnknownKeyAtItsLineAndKnownKeysPass() {
    ConfigObject block = ConfigFactory.parseString("a = 1\nb = 2\nweigth = 3\n",
        ConfigParseOptions.defaults().setOriginDescription("t.conf")).root();
    List<ConfigError> errors = new ArrayList<>();
    StrictKeys.check(block, Set.of("a", "b"), "block", errors);
    assertEquals(1, errors.size());
    assertEquals(3, errors.get(0).line());
    assertEquals("unknown key 'weigth' in block (known: a, b)", errors.get(0).problem());
  }
}
