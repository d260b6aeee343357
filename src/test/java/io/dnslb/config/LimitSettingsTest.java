package io.dnslb.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The dnslb.rrl block and the TCP limits: defaults as documented, each bad value named. */
class LimitSettingsTest {
  @Test
  void defaults() throws Exception {
    Settings s = Settings.load(null, Map.of());
    assertEquals(20, s.tcpMaxConnectionsPerClient());
    assertEquals(Duration.ofSeconds(5), s.tcpReadTimeout());
    assertFalse(s.rrl().enabled());
    assertEquals(200, s.rrl().responsesPerSecond());
    assertEquals(Duration.ofSeconds(15), s.rrl().window());
    assertEquals(2, s.rrl().slip());
    assertEquals(24, s.rrl().ipv4Prefix());
    assertEquals(56, s.rrl().ipv6Prefix());
    assertEquals(100_000, s.rrl().maxTracked());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "dns.tcp.max-connections-per-client | 0   | must be >= 1",
    "rrl.responses-per-second           | 0   | must be >= 1",
    "rrl.window                         | 0s  | must be >= 1s",
    "rrl.slip                           | -1  | must be in 0..10",
    "rrl.ipv4-prefix                    | 33  | must be in 0..32",
    "rrl.ipv6-prefix                    | 129 | must be in 0..128",
    "rrl.max-tracked                    | 0   | must be >= 1",
  })
  void badValuesAreRejected(String key, String value, String rule) {
    ConfigError e = assertThrows(ConfigError.class, () -> Settings.load(null, Map.of(key, value)));
    assertEquals("dnslb." + key + " " + rule, e.problem());
  }
}
