package io.dnslb.e2e;

import static io.dnslb.e2e.HealthE2ETest.warmed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dnslb.testing.TestServer;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fast-fail over real sockets: a backend whose port starts refusing connections leaves the
 * answers at its next probe, not after {@code fall} probes. fall = 5 at 1 s intervals would
 * take 5 s; the bound is interval + 10% jitter + 200 ms, plus 700 ms of slack for a busy machine.
 */
class FastFailE2ETest {
  static final long INTERVAL = 1000;
  static final long BOUND = INTERVAL + INTERVAL / 10 + 200 + 700;
  static final String NAME = "www.e2e.test.";

  @TempDir Path dir;

  static String pools(int port, String checkExtra) {
    return "pools {\n  web {\n    names = [\"" + NAME + "\"]\n    policy = round-robin\n"
        + "    check { type = http, port = " + port + ", interval = " + INTERVAL + "ms, timeout = 500ms,"
        + " rise = 2, fall = 5" + checkExtra + " }\n"
        + "    members = [{ address = \"127.0.0.31\" }, { address = \"127.0.0.32\" }, { address = \"127.0.0.33\" }]\n"
        + "  }\n}\n";
  }

  @Test
  void aRefusingBackendLeavesAtItsNextProbeAndAClosedPortIsDownFromTheStart() throws Exception {
    int port = HttpBackend.freePort("127.0.0.31");
    // 127.0.0.33 never listens on the port: a real closed port, refused from the first probe.
    try (HttpBackend b1 = HttpBackend.start("127.0.0.31", port);
        HttpBackend b2 = HttpBackend.start("127.0.0.32", port);
        HttpBackend warmed = warmed(b1, b2);
        TestServer s = TestServer.in(dir).file("e2e.test.zone", HealthE2ETest.ZONE)
            .file("e2e.test.pools.conf", pools(port, "")).start()) {
      Polling.until(System.nanoTime(), s, NAME, a -> a.equals(Set.of("127.0.0.31", "127.0.0.32")), 20_000, "both listening members up");
      long t0 = System.nanoTime();
      b2.stop();
      long ms = Polling.until(t0, s, NAME, a -> !a.contains("127.0.0.32"), BOUND, "refused member left");
      System.out.println("[fast-fail] refused member left after " + ms + " ms; fall x interval = 5000 ms");
      assertEquals(Set.of("127.0.0.31"), Polling.retried(() -> Dns.a(s.client(), NAME)));
    }
  }
}
