package io.dnslb.pool.e2e;

import static io.dnslb.testing.Answers.addresses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.PoolServer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Every member down: fail-open answers as if all were up; servfail pools answer SERVFAIL. */
class AllDownE2ETest {
  static final List<String> OPEN = List.of("192.0.2.10", "192.0.2.11", "192.0.2.12");

  @RegisterExtension
  static final PoolServer lb = PoolServer.withPools("""
      pools {
        open {
          names = ["open.pool.test."]
          policy = round-robin
          when-all-down = fail-open
          members = [
            { address = "192.0.2.10" }
            { address = "192.0.2.11" }
            { address = "192.0.2.12" }
          ]
        }
        openw {
          names = ["openw.pool.test."]
          policy = weighted
          members = [
            { address = "192.0.2.30", weight = 1 }
            { address = "192.0.2.31", weight = 1 }
          ]
        }
        closed {
          names = ["closed.pool.test."]
          policy = weighted
          when-all-down = servfail
          members = [
            { address = "192.0.2.20" }
            { address = "192.0.2.21" }
          ]
        }
      }
      """).upAfterEach();

  @Test
  void failOpenAnswersEveryMemberAsIfAllWereUp() throws Exception {
    OPEN.forEach(a -> lb.health("open", a, false));
    for (Message m : lb.replies("open.pool.test.", Type.A, 6)) {
      assertEquals(Rcode.NOERROR, m.getRcode());
      assertEquals(Set.copyOf(OPEN), Set.copyOf(addresses(m)));
      assertEquals(3, addresses(m).size());
    }
  }

  @Test
  void failOpenIsTheDefaultAndKeepsThePolicy() throws Exception {
    List.of("192.0.2.30", "192.0.2.31").forEach(a -> lb.health("openw", a, false));
    // Still weighted: one address an answer, both answered over 60 queries.
    assertEquals(Set.of("192.0.2.30", "192.0.2.31"),
        lb.tally("openw.pool.test.", Type.A, 60, 1).keySet());
  }

  @Test
  void servfailPoolAnswersServfail() throws Exception {
    lb.health("closed", "192.0.2.20", false);
    assertEquals(List.of("192.0.2.21"), addresses(lb.udp("closed.pool.test.", Type.A)));
    lb.health("closed", "192.0.2.21", false);
    Message m = lb.udp("closed.pool.test.", Type.A);
    assertEquals(Rcode.SERVFAIL, m.getRcode());
    assertEquals(2, m.getRcode());
    assertTrue(m.getSection(Section.ANSWER).isEmpty());
    lb.health("closed", "192.0.2.20", true);
    Message back = lb.udp("closed.pool.test.", Type.A);
    assertEquals(Rcode.NOERROR, back.getRcode());
    assertEquals(List.of("192.0.2.20"), addresses(back));
  }
}
