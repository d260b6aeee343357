package io.dnslb.e2e;

import static io.dnslb.e2e.HealthE2ETest.DOWN_BOUND;
import static io.dnslb.e2e.HealthE2ETest.INTERVAL;
import static io.dnslb.e2e.HealthE2ETest.RISE;
import static io.dnslb.e2e.HealthE2ETest.FALL;
import static io.dnslb.e2e.HealthE2ETest.TIMEOUT;
import static io.dnslb.e2e.HealthE2ETest.UP_BOUND;
import static io.dnslb.e2e.HealthE2ETest.ZONE;
import static io.dnslb.e2e.HealthE2ETest.get;
import static io.dnslb.e2e.HealthE2ETest.metric;
import static io.dnslb.e2e.HealthE2ETest.statusCommand;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.dnslb.e2e.HealthE2ETest.until;
import static io.dnslb.e2e.HealthE2ETest.warmed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dnslb.health.HealthState;
import io.dnslb.pool.PoolRuntime;
import io.dnslb.testing.TestServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover between sites with real probes: the region of the test's own address (127.0.0.0/8
 * in the networks file) is served by its first site while that site has min-healthy = 2
 * members up, moves to the next site when only one is left, stays there while all are stopped,
 * and comes back after rise.
 */
class TopologyHealthE2ETest {
  static final String NAME = HealthE2ETest.NAME;

  @TempDir Path dir;

  static String pools(int port) {
    String check = "check { type = http, port = " + port + ", path = \"/\", interval = "
        + INTERVAL + "ms, timeout = " + TIMEOUT + "ms, rise = " + RISE + ", fall = " + FALL
        + " }";
    return """
        pools {
          eu-web {
            min-healthy = 2
            %s
            members = [
              { address = "127.0.0.31" }, { address = "127.0.0.32" }, { address = "127.0.0.33" }
            ]
          }
          us-web {
            %s
            members = [{ address = "127.0.0.41" }]
          }
          web {
            names = ["%s"]
            policy = topology
            topology {
              networks = "nets.conf"
              regions {
                lab     { pools = [eu-web, us-web] }
                default { pools = [us-web, eu-web] }
              }
            }
            members = [{ pool = "eu-web" }, { pool = "us-web" }]
          }
        }
        """.formatted(check, check, NAME);
  }

  /** Waits (generously: a busy machine's cold JVM misses probes) until every member is up. */
  static void allUp(TestServer s, int members) throws Exception {
    long stop = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < stop) {
      long up = s.server().catalog().pools().all().stream()
          .map(p -> (PoolRuntime) p)
          .flatMap(p -> p.config().members().stream().filter(m -> !m.isPool())
              .map(m -> p.health(m.index())))
          .filter(h -> h == HealthState.UP).count();
      if (up == members) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("members never all up");
  }

  @Test
  void aSiteBelowMinHealthyFailsOverToTheNextSiteAndComesBackAfterRise() throws Exception {
    // A backend started on port 0 restarts on another port, so this one only finds a free port.
    try (HttpBackend portFinder = HttpBackend.start("127.0.0.30", 0)) {
      int port = portFinder.boundPort();
      try (HttpBackend eu1 = HttpBackend.start("127.0.0.31", port);
          HttpBackend eu2 = HttpBackend.start("127.0.0.32", port);
          HttpBackend eu3 = HttpBackend.start("127.0.0.33", port);
          HttpBackend us = HttpBackend.start("127.0.0.41", port);
          HttpBackend warmed = warmed(eu1, eu2, eu3, us);
          TestServer s = TestServer.in(dir).file("e2e.test.zone", ZONE)
              .file("nets.conf", "127.0.0.0/8 lab   # the test's own source address\n")
              .file("e2e.test.pools.conf", pools(port))
              .set("http.listen", "127.0.0.1:0").start()) {
        allUp(s, 4);
        Set<String> usSite = Set.of("127.0.0.41");
        until(s, NAME, Set.of("127.0.0.31", "127.0.0.32", "127.0.0.33")::equals, UP_BOUND,
            "the lab region on its first site");

        // Two of three left: still min-healthy = 2, the site keeps serving with them.
        long t0 = System.nanoTime();
        eu1.stop();
        until(t0, s, NAME, Set.of("127.0.0.32", "127.0.0.33")::equals, DOWN_BOUND,
            "first site serving on two members");
        // One left: below min-healthy, the whole site steps aside for the next one.
        t0 = System.nanoTime();
        eu2.stop();
        until(t0, s, NAME, usSite::equals, DOWN_BOUND, "min-healthy=2 site failed over");
        // /status, the status command and /metrics say where each region goes now.
        InetSocketAddress http = s.server().httpAddress();
        String status = get(http, "/status");
        assertTrue(status.contains("{\"name\":\"lab\",\"pools\":[\"eu-web\",\"us-web\"],"
            + "\"serving\":\"us-web\"}"), status);
        assertTrue(status.contains("{\"name\":\"default\",\"pools\":[\"us-web\",\"eu-web\"],"
            + "\"serving\":\"us-web\"}"), status);
        assertTrue(statusCommand(http).contains("region lab: serving us-web  (pools eu-web, "
            + "us-web)"), statusCommand(http));
        String metrics = get(http, "/metrics");
        assertTrue(metric(metrics, "dnslb_region_answers_total\\{pool=\"web\",region=\"lab\"\\}")
            > 0, metrics);
        assertTrue(metric(metrics, "dnslb_pool_answers_total\\{pool=\"us-web\"\\}") > 0, metrics);
        // Every member of the first site stopped: the region stays on its next site.
        eu3.stop();
        Thread.sleep(DOWN_BOUND);
        assertEquals(usSite, Dns.a(s.client(), NAME), "stopped site stays failed over");
        t0 = System.nanoTime();
        eu1.restart();
        eu2.restart();
        eu3.restart();
        until(t0, s, NAME, Set.of("127.0.0.31", "127.0.0.32", "127.0.0.33")::equals, UP_BOUND,
            "site back after rise");
      }
    }
  }
}
