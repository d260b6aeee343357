package io.dnslb.pool.e2e;

import static io.dnslb.pool.e2e.PoolServer.addresses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/** Failover over UDP: the lowest priority tier with a healthy member serves. */
class FailoverE2ETest {
  static final List<String> ALL =
      List.of("192.0.2.10", "192.0.2.11", "192.0.2.20", "192.0.2.21", "192.0.2.30");

  @TempDir static Path dir;
  static PoolServer lb;

  @BeforeAll
  static void start() throws Exception {
    lb = PoolServer.start(dir, "", """
        pools {
          f {
            names = ["f.pool.test."]
            policy = failover
            members = [
              { address = "192.0.2.20", priority = 2 }
              { address = "192.0.2.10", priority = 1 }
              { address = "192.0.2.30", priority = 3 }
              { address = "192.0.2.11", priority = 1 }
              { address = "192.0.2.21", priority = 2 }
            ]
          }
        }
        """);
  }

  @AfterAll
  static void stop() {
    lb.close();
  }

  @AfterEach
  void allUp() {
    ALL.forEach(a -> lb.health("f", a, true));
  }

  /** The members answered over 60 queries (one each). */
  static Set<String> served() throws Exception {
    Set<String> seen = new TreeSet<>();
    for (int q = 0; q < 60; q++) {
      List<String> answer = addresses(lb.udp("f.pool.test.", Type.A));
      assertEquals(1, answer.size(), answer.toString());
      seen.add(answer.get(0));
    }
    return seen;
  }

  @Test
  void tierOneServesWhileAnyOfItIsUp() throws Exception {
    assertEquals(Set.of("192.0.2.10", "192.0.2.11"), served());
    lb.health("f", "192.0.2.10", false);
    assertEquals(Set.of("192.0.2.11"), served());
  }

  @Test
  void tierTwoServesWhenTierOneIsAllDownAndTierOneComesBack() throws Exception {
    lb.health("f", "192.0.2.10", false);
    lb.health("f", "192.0.2.11", false);
    assertEquals(Set.of("192.0.2.20", "192.0.2.21"), served());
    lb.health("f", "192.0.2.20", false);
    assertEquals(Set.of("192.0.2.21"), served());
    lb.health("f", "192.0.2.21", false);
    assertEquals(Set.of("192.0.2.30"), served());
    lb.health("f", "192.0.2.11", true);
    assertEquals(Set.of("192.0.2.11"), served(), "back to tier 1 as soon as one member returns");
    lb.health("f", "192.0.2.10", true);
    assertEquals(Set.of("192.0.2.10", "192.0.2.11"), served());
  }
}
