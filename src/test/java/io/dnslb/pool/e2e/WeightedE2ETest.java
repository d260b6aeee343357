package io.dnslb.pool.e2e;

import static io.dnslb.testing.Answers.addresses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.PoolServer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Type;

/** Weighted over UDP: the first answer's share follows weight; further answers are distinct. */
class WeightedE2ETest {
  static final int QUERIES = 10_000;

  @RegisterExtension
  static final PoolServer lb = PoolServer.withPools("""
      pools {
        w {
          names = ["w.pool.test."]
          policy = weighted
          members = [
            { address = "192.0.2.10", weight = 5 }
            { address = "192.0.2.11", weight = 3 }
            { address = "192.0.2.12", weight = 2 }
            { address = "192.0.2.13", weight = 0 }
          ]
        }
        w3 {
          names = ["w3.pool.test."]
          policy = weighted
          answers = 3
          members = [
            { address = "192.0.2.20", weight = 10 }
            { address = "192.0.2.21", weight = 1 }
            { address = "192.0.2.22", weight = 1 }
            { address = "192.0.2.23", weight = 1 }
          ]
        }
      }
      """);

  @Test
  void firstAnswerShareIsProportionalToWeight() throws Exception {
    // answers defaults to 1 for weighted: one address an answer
    Map<String, Integer> counts = lb.tally("w.pool.test.", Type.A, QUERIES, 1);
    // The weight-0 spare is never answered while others are up.
    assertEquals(List.of("192.0.2.10", "192.0.2.11", "192.0.2.12"),
        List.copyOf(counts.keySet()), counts.toString());
    assertShare(counts, "192.0.2.10", 0.5);
    assertShare(counts, "192.0.2.11", 0.3);
    assertShare(counts, "192.0.2.12", 0.2);
  }

  private static void assertShare(Map<String, Integer> counts, String member, double expected) {
    double share = counts.getOrDefault(member, 0) / (double) QUERIES;
    assertTrue(Math.abs(share - expected) <= 0.02,
        member + " got " + share + ", expected " + expected + " ± 0.02: " + counts);
  }

  @Test
  void furtherAnswersAreDistinctMembers() throws Exception {
    int heavyFirst = 0;
    for (int q = 0; q < 500; q++) {
      List<String> answer = addresses(lb.udp("w3.pool.test.", Type.A));
      assertEquals(3, answer.size(), answer.toString());
      assertEquals(3, new HashSet<>(answer).size(), "duplicates in " + answer);
      if (answer.get(0).equals("192.0.2.20")) {
        heavyFirst++;
      }
    }
    // Weight 10 of 13: first about 77% of the time (a loose bound; the share test is exact).
    assertTrue(heavyFirst > 320 && heavyFirst < 440, "heavy member first " + heavyFirst + "/500");
  }

  @Test
  void weightZeroSpareServesOnlyWhenTheOthersAreDown() throws Exception {
    try {
      lb.health("w", "192.0.2.10", false);
      lb.health("w", "192.0.2.11", false);
      lb.health("w", "192.0.2.12", false);
      assertEquals(Map.of("192.0.2.13", 20), lb.tally("w.pool.test.", Type.A, 20, 1));
    } finally {
      lb.health("w", "192.0.2.10", true);
      lb.health("w", "192.0.2.11", true);
      lb.health("w", "192.0.2.12", true);
    }
  }
}
