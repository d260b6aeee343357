package io.dnslb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.dnslb.answer.Catalog;
import io.dnslb.app.CatalogLoader;
import io.dnslb.app.ProbePlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pool file shown in the README loads, beside the shipped example zone: docs cannot rot. */
class ReadmeExamplesTest {
  @TempDir Path dir;

  @Test
  void everyHoconPoolExampleInTheReadmeLoads() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    Matcher m = Pattern.compile("```hocon\n(.*?)```", Pattern.DOTALL).matcher(readme);
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      if (!m.group(1).startsWith("dnssec {")) { // loaded by DnssecSettingsTest
        blocks.add(m.group(1));
      }
    }
    assertFalse(blocks.isEmpty(), "the README shows a pool file");
    Files.copy(Path.of("zones/lb.example.com.zone"), dir.resolve("lb.example.com.zone"));
    for (String block : blocks) {
      Files.writeString(dir.resolve("readme.pools.conf"), block);
      Catalog c = CatalogLoader.load(dir);
      ProbePlan.targets(c, Path.of("health-probes"));
      assertEquals("web", c.pools().all().get(0).id());
    }
  }
}
