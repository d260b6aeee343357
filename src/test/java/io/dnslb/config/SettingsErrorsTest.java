package io.dnslb.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Settings errors name FILE:LINE in our words, and -D properties are as strict as a file. */
class SettingsErrorsTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      dns.tcp.idle-timeout = 10    | dnslb.dns.tcp.idle-timeout = 10 has no unit: write 10s (units: ms, s, m, h, d)
      reload.debounce = soon       | dnslb.reload.debounce must be a duration such as 2s (units: ms, s, m, h, d), not "soon"
      dns.udp-payload = 100        | dnslb.dns.udp-payload must be in 512..65535
      dns.udp-batch = 0            | dnslb.dns.udp-batch must be in 1..64, not 0
      dns.udp-batch = 65           | dnslb.dns.udp-batch must be in 1..64, not 65
      dns.udp-payload = big        | dnslb.dns.udp-payload must be a number, not "big"
      reload.watch = sometimes     | dnslb.reload.watch must be true or false, not "sometimes"
      rrl.slip = 11                | dnslb.rrl.slip must be in 0..10
      dns.listen = ["nowhere"]     | dnslb.dns.listen: bad address 'nowhere' (want ADDR:PORT, IPv6 as [ADDR]:PORT)
      dns.udp-paylod = 1232        | unknown setting 'dnslb.dns.udp-paylod'
      """)
  void fileErrorsNameTheFileAndLine(String setting, String problem) throws Exception {
    Path file = dir.resolve("dnslb.conf");
    Files.writeString(file, "# settings\ndnslb {\n  " + setting + "\n}\n");
    ConfigError e = assertThrows(ConfigError.class, () -> Settings.load(file, Map.of()));
    assertEquals(file + ":3: " + problem, e.getMessage());
  }

  /**
   * As a flag, which outranks system properties: the native-udp test run sets
   * -Ddnslb.dns.udp-transport=native, which would hide the same value in a file.
   */
  @Test
  void anUnknownUdpTransportIsRefused() {
    ConfigError e = assertThrows(ConfigError.class,
        () -> Settings.load(null, Map.of("dns.udp-transport", "dpdk")));
    assertEquals("dnslb.dns.udp-transport must be auto, netty or native, not \"dpdk\"",
        e.problem());
  }

  @Test
  void systemPropertyTyposAreRefusedLikeFileTypos() {
    for (String[] p : List.of(
        new String[] {"dnslb.dns.udp-paylod", "1232", "unknown setting 'dnslb.dns.udp-paylod'"},
        new String[] {"dnslb.dns.tcp.idle-timeout", "10",
            "dnslb.dns.tcp.idle-timeout = 10 has no unit: write 10s (units: ms, s, m, h, d)"})) {
      System.setProperty(p[0], p[1]);
      ConfigFactory.invalidateCaches();
      try {
        ConfigError e = assertThrows(ConfigError.class, () -> Settings.load(null, Map.of()));
        assertEquals(p[2], e.problem());
      } finally {
        System.clearProperty(p[0]);
        ConfigFactory.invalidateCaches();
      }
    }
  }

  @Test
  void aCommaSeparatedListenPropertyIsAList() throws Exception {
    System.setProperty("dnslb.dns.listen", "127.0.0.1:5300, [::1]:5300");
    ConfigFactory.invalidateCaches();
    try {
      assertEquals(2, Settings.load(null, Map.of()).dnsListen().size());
    } finally {
      System.clearProperty("dnslb.dns.listen");
      ConfigFactory.invalidateCaches();
    }
  }
}
