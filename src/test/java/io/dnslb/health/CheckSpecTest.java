package io.dnslb.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.dnslb.config.ConfigError;
import io.dnslb.health.check.ExecCheck;
import io.dnslb.health.check.HttpCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckSpecTest {
  static final Path PROBES = Path.of("health-probes");

  static CheckSpec parse(String hocon) throws ConfigError {
    var config = ConfigFactory.parseString(hocon, ConfigParseOptions.defaults().setOriginDescription("pools.conf"));
    return CheckSpec.parse(config, PROBES);
  }

  @Test
  void defaults() throws ConfigError {
    CheckSpec s = parse("port = 80");
    assertEquals("tcp", s.type().name());
    assertEquals(Duration.ofSeconds(5), s.interval());
    assertEquals(Duration.ofSeconds(2), s.timeout());
    assertEquals(2, s.rise());
    assertEquals(3, s.fall());
    assertEquals(null, s.host());
    assertEquals(null, s.address());
    assertEquals(null, s.options());
    HttpCheck.Options http = parse("type = http, port = 80").options(HttpCheck.Options.class);
    assertEquals("/", http.path());
    assertEquals(true, http.tlsVerify());
    assertEquals(true, http.expect().accepts(399));
    assertEquals(false, http.expect().accepts(400));
  }

  @Test
  void everyKey() throws ConfigError {
    CheckSpec s = parse("""
        type = https, port = 8443, path = "/healthz", host = "www.example.com", expect = [200, "300-302"]
        tls-verify = false, address = "::1", interval = 1s, timeout = 500ms, rise = 1, fall = 4
        """);
    assertEquals(HttpCheck.HTTPS, s.type());
    HttpCheck.Options http = s.options(HttpCheck.Options.class);
    assertEquals("/healthz", http.path());
    assertEquals("www.example.com", s.host());
    assertEquals("200,300-302", http.expect().toString());
    assertEquals(true, http.expect().accepts(302));
    assertEquals(false, http.expect().accepts(303));
    assertEquals(false, http.tlsVerify());
    assertEquals("::1", s.address());
    assertEquals(Duration.ofMillis(500), s.timeout());
    assertEquals(4, s.fall());
  }

  @Test
  void fastFailIsOnForSocketChecksAndLoadIsOptional() throws ConfigError {
    assertEquals(true, parse("port = 80").fastFail());
    assertEquals(false, parse("port = 80, fast-fail = false").fastFail());
    assertEquals(false, parse("type = none").fastFail());
    assertEquals(null, parse("type = http, port = 80").load());
    LoadSpec load = parse("type = http, port = 80, load { json = \"load\", low = 40 }").load();
    assertEquals(new LoadSpec(null, "load", 40, 90), load);
    assertEquals(1.0, load.factor(Double.NaN));
    assertEquals(1.0, load.factor(40));
    assertEquals(0.55, load.factor(65), 1e-9);
    assertEquals(0.1, load.factor(100));
    assertEquals(72.5, load.fromJson("{\"other\": 3, \"load\" : 72.5}"));
    assertEquals(100.0, load.fromJson("{\"load\": 250}"));
    assertEquals(true, Double.isNaN(load.fromJson("{\"load\": \"high\"}")));
  }

  @Test
  void anUnprobedMemberIgnoresThePoolsHttpKeys() throws ConfigError {
    CheckSpec s = parse("type = none, port = 80, path = \"/healthz\", expect = 200");
    assertEquals(false, s.probed());
    assertEquals(null, s.options());
  }

  @Test
  void execNamesAProbeInTheProbesDir() throws ConfigError {
    CheckSpec s = parse("type = exec, port = 6379, command = [\"redis-ping\", \"role=master\"]");
    assertEquals(List.of("redis-ping", "role=master"), s.options(ExecCheck.Options.class).command());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      port = 80, typo = 1                         | pools.conf:1: check: unknown key "typo" (known: address, command, expect, fall, fast-fail, host, interval, load, path, port, rise, timeout, tls-verify, type)
      type = smtp, port = 25                      | pools.conf:1: check: unknown type "smtp" (known: tcp, http, https, exec, none)
      type = http                                 | pools.conf:1: check: type http needs a port
      port = 70000                                | pools.conf:1: check: port 70000 is not in 1-65535
      port = 80, interval = 2s, timeout = 2s      | pools.conf:1: check: timeout 2000ms must be less than interval 2000ms
      port = 80, interval = 1s                    | pools.conf:1: check: timeout 2000ms must be less than interval 1000ms
      port = 80, rise = 0                         | pools.conf:1: check: rise must be 1-100
      type = http, port = 80, path = "health"     | pools.conf:1: check: path must start with / and contain no spaces or control characters
      type = http, port = 80, expect = ["2xx"]    | pools.conf:1: expect: "2xx" is not a status code (100-599) or range like "300-399"
      type = http, port = 80, expect = ["399-300"] | pools.conf:1: expect: range "399-300" ends before it starts
      type = http, port = 80, expect = []         | pools.conf:1: expect: must list at least one status code or range
      port = 80, path = "/health"                 | pools.conf:1: check: path is only for http and https checks
      type = exec, command = ["redis-ping"], expect = 200 | pools.conf:1: check: expect is only for http and https checks
      port = 80, address = "db.example.com"       | pools.conf:1: check: address "db.example.com" is not an IPv4 or IPv6 address
      port = 80, address = "10.0.0.256"           | pools.conf:1: check: address "10.0.0.256" is not an IPv4 or IPv6 address
      type = exec                                 | pools.conf:1: check: type exec needs command = ["probe-name", args…]
      type = exec, command = ["../bin/sh"]        | pools.conf:1: check: command "../bin/sh" must be a file name inside the probes directory (no /, no ..)
      type = exec, command = ["/bin/sh"]          | pools.conf:1: check: command "/bin/sh" must be a file name inside the probes directory (no /, no ..)
      type = exec, command = [".."]               | pools.conf:1: check: command ".." must be a file name inside the probes directory (no /, no ..)
      type = exec, command = ["no-such-probe"]    | pools.conf:1: check: no executable probe "no-such-probe" in health-probes
      type = tcp, port = 1, command = ["x"]       | pools.conf:1: check: command is only for exec checks
      port = "eighty"                             | pools.conf:1: check: port must be a whole number, not "eighty"
      port = 80, interval = 5                     | pools.conf:1: check: interval = 5 has no unit: write 5s (units: ms, s, m, h, d)
      type = https, port = 443, tls-verify = "maybe" | pools.conf:1: check: tls-verify must be true or false, not "maybe"
      type = exec, command = ["redis-ping"], fast-fail = true | pools.conf:1: check: fast-fail is only for tcp, http and https checks
      port = 80, load { header = "X-Load" }       | pools.conf:1: check: load is only for http and https checks
      type = http, port = 80, load { }            | pools.conf:1: check: load needs exactly one of header = "X-Load" or json = "field"
      type = http, port = 80, load { header = "a", json = "b" } | pools.conf:1: check: load needs exactly one of header = "X-Load" or json = "field"
      type = http, port = 80, load { json = "l", low = 95 } | pools.conf:1: check: load: need 0 <= low < high <= 100 (low 95.0, high 90.0)
      type = http, port = 80, load { json = "l", typo = 1 } | pools.conf:1: check: load: unknown key "typo" (known: header, json, low, high)
      """)
  void rejects(String hocon, String message) {
    ConfigError e = assertThrows(ConfigError.class, () -> parse(hocon));
    assertEquals(message, e.getMessage());
  }

  @Test
  void errorsPointAtTheFileAndLineOfTheKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("web.pools.conf");
    Files.writeString(file, "type = http\nport = 80\n\ntimeout = 9s\n");
    ConfigError e = assertThrows(ConfigError.class, () -> CheckSpec.parse(ConfigFactory.parseFile(file.toFile()), PROBES));
    assertEquals(file + ":4: check: timeout 9000ms must be less than interval 5000ms", e.getMessage());
  }
}
