package io.dnslb;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.ConfigFactory;
import io.dnslb.answer.Catalog;
import io.dnslb.app.CatalogLoader;
import io.dnslb.app.ProbePlan;
import io.dnslb.config.ConfigError;
import io.dnslb.config.Settings;
import io.dnslb.health.CheckSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example in the README loads, beside the shipped example zone: each ```hocon block (pool
 * files and settings files), and each inline check setting such as {@code expect = [200,
 * "300-399"]} (once refused by the pool loader although the README showed it). Docs cannot rot.
 */
class ReadmeExamplesTest {
  @TempDir Path dir;

  private static String readme() throws Exception {
    return Files.readString(Path.of("README.md"));
  }

  @Test
  void everyHoconBlockInTheReadmeLoads() throws Exception {
    Matcher m = Pattern.compile("```hocon\n(.*?)```", Pattern.DOTALL).matcher(readme());
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      if (!m.group(1).startsWith("dnssec {")) { // loaded by DnssecSettingsTest
        blocks.add(m.group(1));
      }
    }
    assertTrue(blocks.size() >= 3, "the README shows pool files and a settings file");
    Files.copy(Path.of("zones/lb.example.com.zone"), dir.resolve("lb.example.com.zone"));
    for (String block : blocks) {
      try {
        if (block.trim().startsWith("pools")) {
          Files.writeString(dir.resolve("readme.pools.conf"), block);
          Catalog c = CatalogLoader.load(dir);
          ProbePlan.targets(c, Path.of("health-probes"));
          assertFalse(c.pools().all().isEmpty());
        } else if (block.trim().startsWith("dnslb")) {
          Path conf = dir.resolve("dnslb.conf");
          Files.writeString(conf, block);
          Settings.load(conf, Map.of());
        } else {
          fail("a hocon block that is neither a pool file nor a settings file:\n" + block);
        }
      } catch (ConfigError e) {
        fail("README example does not load: " + e.getMessage() + "\n" + block);
      }
    }
  }

  @Test
  void everyInlineCheckSettingInTheReadmeIsAccepted() throws Exception {
    Matcher m = Pattern.compile("`((?:type|port|path|host|expect|tls-verify|command|address|interval"
        + "|timeout|rise|fall) = [^`]+)`").matcher(readme());
    int n = 0;
    while (m.find()) {
      String setting = m.group(1);
      String base = setting.startsWith("command") ? "type = exec, port = 6379"
          : setting.startsWith("type") ? "port = 80" : "type = http, port = 80";
      try {
        CheckSpec.parse(ConfigFactory.parseString(base + ", " + setting), Path.of("health-probes"));
      } catch (ConfigError e) {
        fail("README's `" + setting + "`: " + e.getMessage());
      }
      n++;
    }
    assertTrue(n >= 2, "found " + n + " inline check settings (expect, command, …)");
  }
}
