package io.dnslb.pool.e2e;

import static io.dnslb.testing.Answers.addresses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.PoolServer;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Pool answers carry the pool's TTL and the AA bit, over UDP and TCP alike. */
class TtlAndFlagsE2ETest {
  @RegisterExtension
  static final PoolServer lb = PoolServer.withPools("""
      pools {
        t {
          names = ["t.pool.test.", "t2.pool.test."]
          policy = round-robin
          ttl = 17s
          members = [
            { address = "192.0.2.10" }
            { address = "192.0.2.11" }
            { address = "2001:db8::10" }
          ]
        }
        d {
          names = ["d.pool.test."]
          policy = weighted
          members = [
            { address = "192.0.2.20" }
          ]
        }
      }
      """);

  static void assertPoolAnswer(Message m, String owner, long ttl, int records) {
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertTrue(m.getHeader().getFlag(Flags.AA), "AA");
    assertTrue(m.getHeader().getFlag(Flags.QR), "QR");
    assertFalse(m.getHeader().getFlag(Flags.TC), "TC");
    assertEquals(records, m.getSection(Section.ANSWER).size(), m.toString());
    for (Record r : m.getSection(Section.ANSWER)) {
      assertEquals(owner, r.getName().toString());
      assertEquals(ttl, r.getTTL(), r.toString());
    }
  }

  @Test
  void udpAnswersHaveThePoolTtlAndAa() throws Exception {
    assertPoolAnswer(lb.udp("t.pool.test.", Type.A), "t.pool.test.", 17, 2);
    assertPoolAnswer(lb.udp("t2.pool.test.", Type.A), "t2.pool.test.", 17, 2);
    assertPoolAnswer(lb.udp("t.pool.test.", Type.AAAA), "t.pool.test.", 17, 1);
  }

  @Test
  void theDefaultTtlIs30Seconds() throws Exception {
    assertPoolAnswer(lb.udp("d.pool.test.", Type.A), "d.pool.test.", 30, 1);
  }

  @Test
  void tcpAnswersAlike() throws Exception {
    Message m = lb.client().tcp("t.pool.test.", Type.A);
    assertPoolAnswer(m, "t.pool.test.", 17, 2);
    assertEquals(Set.of("192.0.2.10", "192.0.2.11"), Set.copyOf(addresses(m)));
  }

  @Test
  void theClientsCaseIsKeptInTheOwnerName() throws Exception {
    Message m = lb.udp("T.Pool.TEST.", Type.A);
    assertEquals(2, m.getSection(Section.ANSWER).size());
    assertEquals("T.Pool.TEST.", m.getSection(Section.ANSWER).get(0).getName().toString());
    assertEquals(17, m.getSection(Section.ANSWER).get(0).getTTL());
  }
}
