package io.dnslb.pool.e2e;

import static io.dnslb.testing.Answers.addresses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.health.HealthState;
import io.dnslb.pool.PoolRuntime;
import io.dnslb.testing.PoolServer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Type;

/** A health change shows in the very next answer, with no wait and no reload. */
class HealthChangeE2ETest {
  @RegisterExtension
  static final PoolServer lb = PoolServer.withPools("""
      pools {
        h {
          names = ["h.pool.test."]
          policy = round-robin
          members = [
            { address = "192.0.2.10" }
            { address = "192.0.2.11" }
            { address = "192.0.2.12" }
          ]
        }
        hw {
          names = ["hw.pool.test."]
          policy = weighted
          answers = 2
          members = [
            { address = "192.0.2.20" }
            { address = "192.0.2.21" }
          ]
        }
      }
      """);

  @Test
  void everyFlipShowsInTheNextAnswer() throws Exception {
    PoolRuntime pool = lb.pool("h");
    int member = PoolServer.memberIndex(pool, "192.0.2.11");
    // Without a check block a member's probe is `none`: up from the first round on.
    assertEquals(HealthState.UP, pool.health(member));
    assertEquals(3, addresses(lb.udp("h.pool.test.", Type.A)).size());
    for (int flip = 0; flip < 20; flip++) {
      boolean up = flip % 2 == 1;
      lb.health("h", "192.0.2.11", up);
      assertEquals(up ? HealthState.UP : HealthState.DOWN, pool.health(member));
      List<String> answer = addresses(lb.udp("h.pool.test.", Type.A));
      assertEquals(up ? 3 : 2, answer.size(), "flip " + flip + ": " + answer);
      assertEquals(up, answer.contains("192.0.2.11"), "flip " + flip + ": " + answer);
    }
  }

  @Test
  void aWeightedPoolFollowsOnTheNextQuery() throws Exception {
    assertEquals(Set.of("192.0.2.20", "192.0.2.21"),
        Set.copyOf(addresses(lb.udp("hw.pool.test.", Type.A))));
    lb.health("hw", "192.0.2.20", false);
    assertEquals(List.of("192.0.2.21"), addresses(lb.udp("hw.pool.test.", Type.A)));
    lb.health("hw", "192.0.2.20", true);
    lb.health("hw", "192.0.2.21", false);
    assertEquals(List.of("192.0.2.20"), addresses(lb.udp("hw.pool.test.", Type.A)));
    lb.health("hw", "192.0.2.21", true);
    List<String> both = addresses(lb.udp("hw.pool.test.", Type.A));
    assertEquals(2, both.size());
    assertTrue(both.contains("192.0.2.20") && both.contains("192.0.2.21"));
    assertFalse(both.get(0).equals(both.get(1)));
  }
}
