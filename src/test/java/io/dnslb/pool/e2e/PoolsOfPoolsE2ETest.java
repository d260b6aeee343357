package io.dnslb.pool.e2e;

import static io.dnslb.testing.Answers.first;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.Answers;
import io.dnslb.testing.PoolServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Type;

/** Pools of pools over UDP: a weighted traffic split between two sites, failover between them. */
class PoolsOfPoolsE2ETest {
  @RegisterExtension
  static final PoolServer lb = PoolServer.withPools("""
      pools {
        eu-web { members = [{ address = "192.0.2.10" }, { address = "192.0.2.11" }] }
        us-web { members = [{ address = "192.0.2.20" }] }
        split {
          names = ["split.pool.test."]
          policy = weighted
          members = [{ pool = "eu-web", weight = 3 }, { pool = "us-web", weight = 1 }]
        }
        site {
          names = ["site.pool.test."]
          policy = failover
          members = [{ pool = "eu-web", priority = 1 }, { pool = "us-web", priority = 2 }]
        }
      }
      """);

  @Test
  void aWeightedSplitBetweenTwoSitesHoldsWithinTwoPointsOver10000Queries() throws Exception {
    int queries = 10_000;
    Map<String, Integer> bySite = new HashMap<>();
    for (int i = 0; i < queries; i++) {
      String a = first(lb.udp("split.pool.test.", Type.A));
      bySite.merge(a.equals("192.0.2.20") ? "us" : "eu", 1, Integer::sum);
    }
    double euShare = 100.0 * bySite.getOrDefault("eu", 0) / queries;
    System.out.println("[pools-of-pools] weighted 3:1 split over " + queries + " queries: eu "
        + euShare + "%");
    // 75% expected; the standard deviation of 10,000 draws is 0.43 points, so 2 points is 4.6σ.
    assertTrue(Math.abs(euShare - 75.0) <= 2.0, "eu share " + euShare + "%");
  }

  @Test
  void failoverBetweenSitesAnswersWithTheChildsOwnAnswer() throws Exception {
    // eu-web is round-robin: both of its addresses, under the parent's name.
    assertEquals(2, Answers.addresses(lb.udp("site.pool.test.", Type.A)).size());
    lb.health("eu-web", "192.0.2.10", false);
    lb.health("eu-web", "192.0.2.11", false);
    try {
      assertEquals("192.0.2.20", first(lb.udp("site.pool.test.", Type.A)));
    } finally {
      lb.health("eu-web", "192.0.2.10", true);
      lb.health("eu-web", "192.0.2.11", true);
    }
    assertTrue(first(lb.udp("site.pool.test.", Type.A)).startsWith("192.0.2.1"));
  }
}
