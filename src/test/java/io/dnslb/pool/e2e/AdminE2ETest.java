package io.dnslb.pool.e2e;

import static io.dnslb.testing.Answers.addresses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dnslb.testing.PoolServer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Admin state over UDP: drain and down are never answered; admin = up always is. */
class AdminE2ETest {
  static final String DRAIN = "192.0.2.10";
  static final String DOWN = "192.0.2.11";
  static final String FORCED_UP = "192.0.2.12";
  static final String NORMAL = "192.0.2.13";

  @RegisterExtension
  static final PoolServer lb = PoolServer.withPools("""
      pools {
        a {
          names = ["a.pool.test."]
          policy = round-robin
          members = [
            { address = "192.0.2.10", admin = drain }
            { address = "192.0.2.11", admin = down }
            { address = "192.0.2.12", admin = up }
            { address = "192.0.2.13" }
          ]
        }
        onlyout {
          names = ["onlyout.pool.test."]
          policy = weighted
          members = [
            { address = "192.0.2.20", admin = drain }
            { address = "192.0.2.21", admin = down }
          ]
        }
      }
      """).upAfterEach();

  static Set<String> served() throws Exception {
    return lb.tally("a.pool.test.", Type.A, 10, -1).keySet();
  }

  @Test
  void drainAndDownAreNeverAnsweredEvenWhenHealthy() throws Exception {
    assertEquals(Set.of(FORCED_UP, NORMAL), served());
  }

  @Test
  void adminUpIsAnsweredEvenWhenHealthSaysDown() throws Exception {
    lb.health("a", FORCED_UP, false);
    assertEquals(Set.of(FORCED_UP, NORMAL), served());
    lb.health("a", NORMAL, false);
    assertEquals(Set.of(FORCED_UP), served());
  }

  @Test
  void failOpenDoesNotBringBackDrainedOrDownMembers() throws Exception {
    lb.health("a", NORMAL, false);
    lb.health("a", DRAIN, false);
    lb.health("a", DOWN, false);
    // admin = up keeps the pool up; drained and down stay out whatever their health.
    assertEquals(Set.of(FORCED_UP), served());
  }

  @Test
  void aPoolWithEveryMemberTakenOutHasNoData() throws Exception {
    var m = lb.udp("onlyout.pool.test.", Type.A);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertEquals(List.of(), addresses(m));
  }
}
