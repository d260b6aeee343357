package io.dnslb.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dnslb.config.ConfigError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The .dnssec.conf file: defaults, and one FILE:LINE message per bad input. */
class DnssecSettingsTest {
  @TempDir Path dir;

  @Test
  void defaultsAndOverrides() throws Exception {
    Path f = dir.resolve("z.dnssec.conf");
    Files.writeString(f, "dnssec {\n  keys = k\n  algorithm = ed25519\n  refresh = 2d\n}\n");
    DnssecSettings s = DnssecSettings.load(f, dir);
    assertEquals(dir.resolve("k"), s.keys());
    assertEquals(2, s.keysLine());
    assertEquals(Algorithms.ED25519, s.algorithm());
    assertEquals(Duration.ofDays(14), s.signatureLifetime());
    assertEquals(Duration.ofDays(2), s.refresh());
  }

  /** The README's example is what the loader reads, defaults and all. */
  @Test
  void theReadmeExampleLoads() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int section = readme.indexOf("## Sign a zone");
    int start = readme.indexOf("```hocon\n", section) + "```hocon\n".length();
    String example = readme.substring(start, readme.indexOf("```", start));
    Path f = dir.resolve("lb.example.com.dnssec.conf");
    Files.writeString(f, example);
    DnssecSettings s = DnssecSettings.load(f, dir);
    DnssecSettings d = DnssecSettings.defaults(f, dir.resolve("keys/"));
    assertEquals(d.keys(), s.keys());
    assertEquals(d.algorithm(), s.algorithm());
    assertEquals(d.signatureLifetime(), s.signatureLifetime());
    assertEquals(d.refresh(), s.refresh());
    assertEquals(d.dnskeyTtl(), s.dnskeyTtl());
    assertEquals(d.signatureCache(), s.signatureCache());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "dnssec { keys = k, algorithm = rsasha1 }|1|unknown algorithm 'rsasha1' (known: ecdsap256sha256 (13), ed25519 (15))",
      "dnssec {\\n  kyes = k\\n}|2|unknown key 'kyes' in dnssec (known: algorithm, dnskey-ttl, keys, refresh, signature-cache, signature-lifetime)",
      "dnssec { refresh = 20d }|1|refresh must be at least 1h and below signature-lifetime (PT336H)",
      "dnssec = 3|1|expected a block: dnssec { keys = \"keys/\" }",
      "other { }|1|unknown key 'other' in dnssec file (known: dnssec)",
  })
  void badInputIsAFileLineError(String text, int line, String message) throws Exception {
    Path f = dir.resolve("z.dnssec.conf");
    Files.writeString(f, text.replace("\\n", "\n"));
    ConfigError e = assertThrows(ConfigError.class, () -> DnssecSettings.load(f, dir));
    assertEquals(f + ":" + line + ": " + message, e.getMessage());
  }
}
