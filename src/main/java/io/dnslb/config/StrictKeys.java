package io.dnslb.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rejects keys a config block does not know. Typesafe's {@code checkValid} only checks that
 * expected keys are present and typed; a typo such as {@code wieght = 3} would otherwise be
 * silently ignored and the default used.
 */
public final class StrictKeys {
  private StrictKeys() {}

  /**
   * Adds one error per key of {@code block} not in {@code allowed}, each at the key's own line.
   *
   * @param where how to name the block in the message, e.g. {@code "pool web"}
   */
  public static void check(ConfigObject block, Set<String> allowed, String where,
      List<ConfigError> errors) {
    for (Map.Entry<String, ConfigValue> e : block.entrySet()) {
      if (!allowed.contains(e.getKey())) {
        errors.add(ConfigError.at(e.getValue().origin(), "unknown key '" + e.getKey() + "' in " + where
            + " (known: " + String.join(", ", new TreeSet<>(allowed)) + ")"));
      }
    }
  }
}
