package io.dnslb.pool.e2e;

import static io.dnslb.testing.Answers.addresses;
import static io.dnslb.testing.Answers.section;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.PoolServer;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Address families and the zone around a pool name: AAAA from IPv6 members, NODATA for a family
 * with no member, other types at the pool name from the zone file, CNAMEs into a pool.
 */
class FamiliesE2ETest {
  @RegisterExtension
  static final PoolServer lb = PoolServer.withPools("""
      pools {
        mixed {
          names = ["mixed.pool.test."]
          policy = round-robin
          ttl = 45s
          members = [
            { address = "192.0.2.10" }
            { address = "2001:db8::10" }
            { address = "192.0.2.11" }
            { address = "2001:db8::11" }
          ]
        }
        v4only {
          names = ["v4only.pool.test."]
          policy = round-robin
          members = [
            { address = "192.0.2.20" }
          ]
        }
        v6only {
          names = ["v6only.pool.test."]
          policy = weighted
          members = [
            { address = "2001:db8::30" }
          ]
        }
      }
      """).zoneLines("""
      mixed    IN TXT "mixed pool"
      v4only   IN TXT "only IPv4 members"
      v4only   IN MX  10 static
      alias    IN CNAME mixed
      alias2   IN CNAME alias
      """);

  static String v6(String text) throws Exception {
    return InetAddress.getByName(text).getHostAddress();
  }

  @Test
  void aAnswersIpv4MembersOnly() throws Exception {
    Message m = lb.udp("mixed.pool.test.", Type.A);
    assertEquals(Set.of("192.0.2.10", "192.0.2.11"), Set.copyOf(addresses(m)));
    assertEquals(2, m.getSection(Section.ANSWER).size());
    m.getSection(Section.ANSWER).forEach(r -> assertEquals(Type.A, r.getType()));
  }

  @Test
  void aaaaAnswersIpv6MembersOnly() throws Exception {
    Set<String> seen = new TreeSet<>();
    for (Message m : lb.replies("mixed.pool.test.", Type.AAAA, 4)) {
      assertEquals(Rcode.NOERROR, m.getRcode());
      m.getSection(Section.ANSWER).forEach(r -> assertEquals(Type.AAAA, r.getType()));
      assertEquals(2, addresses(m).size());
      seen.addAll(addresses(m));
    }
    assertEquals(Set.of(v6("2001:db8::10"), v6("2001:db8::11")), seen);
    assertEquals(List.of(v6("2001:db8::30")), addresses(lb.udp("v6only.pool.test.", Type.AAAA)));
  }

  @Test
  void aFamilyWithNoMemberIsNodataWithTheSoa() throws Exception {
    for (Message m : List.of(lb.udp("v4only.pool.test.", Type.AAAA),
        lb.udp("v6only.pool.test.", Type.A))) {
      assertEquals(Rcode.NOERROR, m.getRcode(), m.toString());
      assertTrue(m.getSection(Section.ANSWER).isEmpty(), m.toString());
      assertTrue(m.getHeader().getFlag(Flags.AA));
      assertEquals(List.of("pool.test. 60 SOA ns1.pool.test. hostmaster.pool.test. "
          + "7 3600 600 86400 60"), section(m, Section.AUTHORITY));
    }
  }

  @Test
  void otherTypesAtAPoolNameComeFromTheZoneFile() throws Exception {
    Message txt = lb.udp("mixed.pool.test.", Type.TXT);
    assertEquals(List.of("mixed.pool.test. 3600 TXT \"mixed pool\""),
        section(txt, Section.ANSWER));
    Message mx = lb.udp("v4only.pool.test.", Type.MX);
    assertEquals(List.of("v4only.pool.test. 3600 MX 10 static.pool.test."),
        section(mx, Section.ANSWER));
    // A type neither the zone nor the pool has: NODATA.
    Message srv = lb.udp("mixed.pool.test.", Type.SRV);
    assertEquals(Rcode.NOERROR, srv.getRcode());
    assertTrue(srv.getSection(Section.ANSWER).isEmpty());
    assertEquals(Type.SOA, srv.getSection(Section.AUTHORITY).get(0).getType());
  }

  @Test
  void aCnameIsFollowedIntoThePool() throws Exception {
    Message m = lb.udp("alias2.pool.test.", Type.A);
    assertEquals(Rcode.NOERROR, m.getRcode());
    List<String> answer = section(m, Section.ANSWER);
    assertEquals(4, answer.size(), answer.toString());
    assertEquals("alias2.pool.test. 3600 CNAME alias.pool.test.", answer.get(0));
    assertEquals("alias.pool.test. 3600 CNAME mixed.pool.test.", answer.get(1));
    Set<String> pooled = Set.of(answer.get(2), answer.get(3));
    assertEquals(Set.of("mixed.pool.test. 45 A 192.0.2.10", "mixed.pool.test. 45 A 192.0.2.11"),
        pooled);
    Message aaaa = lb.udp("alias.pool.test.", Type.AAAA);
    assertEquals(3, aaaa.getSection(Section.ANSWER).size(), aaaa.toString());
    assertEquals(Type.AAAA, aaaa.getSection(Section.ANSWER).get(2).getType());
  }
}
