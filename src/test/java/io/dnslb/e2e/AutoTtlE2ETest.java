package io.dnslb.e2e;

import static io.dnslb.e2e.HealthE2ETest.warmed;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.TestServer;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * ttl = auto over real probes, UDP and TCP (fast and general path): a stable member's answers
 * live until its state could change; one that starts failing shortens them at once.
 */
class AutoTtlE2ETest {
  static final String ZONE = HealthE2ETest.ZONE;

  @TempDir Path dir;

  @Test
  void aStablePoolGetsLongTtlsAndAFailingMemberShortensThem() throws Exception {
    try (HttpBackend b1 = HttpBackend.start("127.0.0.41", 0)) {
      int port = b1.boundPort();
      // slow: no fast-fail, fall = 10 at 1 s: a stable member can change only 9-10 s ahead.
      // quick: fast-fail (the default for tcp): one refused probe suffices, so under 1 s: 0.
      String pools = "pools {\n"
          + "  slow {\n    names = [\"slow.e2e.test.\"]\n    ttl = auto\n    ttl-max = 60s\n"
          + "    check { type = http, port = " + port + ", interval = 1s, timeout = 500ms, fall = 10,"
          + " fast-fail = false }\n    members = [{ address = \"127.0.0.41\" }]\n  }\n"
          + "  quick {\n    names = [\"quick.e2e.test.\"]\n    ttl = auto\n"
          + "    check { type = tcp, port = " + port + ", interval = 1s, timeout = 500ms }\n"
          + "    members = [{ address = \"127.0.0.41\" }]\n  }\n"
          + "  fixed {\n    names = [\"fixed.e2e.test.\"]\n    ttl = 20s\n"
          + "    check { type = tcp, port = " + port + ", interval = 1s, timeout = 500ms }\n"
          + "    members = [{ address = \"127.0.0.41\" }]\n  }\n}\n";
      try (HttpBackend warmed = warmed(b1);
          TestServer s = TestServer.in(dir).file("e2e.test.zone", ZONE)
              .file("e2e.test.pools.conf", pools).start()) {
        Polling.until(System.nanoTime(), s, "slow.e2e.test.", a -> a.equals(Set.of("127.0.0.41")), 20_000, "member up");
        // A cold JVM may fail the very first probe; then rise = 2 passes bring it up.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"up".equals(health(s, "slow")) && System.nanoTime() < deadline + 10_000_000_000L) {
          Thread.sleep(100);
        }
        Thread.sleep(600); // one refresh after the change
        long slow = ttl(s, "slow.e2e.test.", false);
        assertTrue(slow >= 7 && slow <= 10, "stable, fall 10 at 1 s: ttl " + slow);
        assertTrue(ttl(s, "slow.e2e.test.", true) <= 10, "TCP answers carry it too");
        long quick = ttl(s, "quick.e2e.test.", false);
        // at most 1.1 s to the next probe, less the refresher's 1 s allowance: under a second,
        // and ttl-min defaults to 0, so resolvers do not cache it
        assertTrue(quick == 0, "fast-fail: the next probe may take it out: ttl " + quick);
        assertTrue(ttl(s, "fixed.e2e.test.", false) == 20, "a fixed ttl stays");

        b1.status.set(503); // failing, not yet down: fall = 10
        long t0 = System.nanoTime();
        long shortest = slow;
        while (System.nanoTime() - t0 < 8_000_000_000L && shortest > 4) {
          shortest = Math.min(shortest, ttl(s, "slow.e2e.test.", false));
          Thread.sleep(100);
        }
        System.out.println("[ttl-auto] stable " + slow + " s; after failures began it fell to "
            + shortest + " s within " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertTrue(shortest <= 4, "ttl after failures began: " + shortest);
      }
    }
  }

  static String health(TestServer s, String pool) {
    return health(s, pool, 0);
  }

  /** The health the server's pool holds for one member, by index. */
  static String health(TestServer s, String pool, int member) {
    for (var p : s.server().catalog().pools().all()) {
      if (p.id().equals(pool)) {
        return ((io.dnslb.pool.PoolRuntime) p).health(member).name().toLowerCase(java.util.Locale.ROOT);
      }
    }
    throw new AssertionError(pool);
  }

  static long ttl(TestServer s, String name, boolean tcp) throws Exception {
    Message m = Polling.retried(() -> tcp ? s.client().tcp(name, Type.A) : s.client().udp(name, Type.A));
    long ttl = -1;
    for (Record r : m.getSection(Section.ANSWER)) {
      ttl = r.getTTL();
    }
    return ttl;
  }
}
