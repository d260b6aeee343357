package io.dnslb.pool.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dnslb.testing.PoolServer;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Type;

/** Failover over UDP: the lowest priority tier with a healthy member serves. */
class FailoverE2ETest {
  @RegisterExtension
  static final PoolServer lb = PoolServer.withPools("""
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
      """).upAfterEach();

  /** The members answered over 60 queries (one each). */
  static Set<String> served() throws Exception {
    return lb.tally("f.pool.test.", Type.A, 60, 1).keySet();
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
