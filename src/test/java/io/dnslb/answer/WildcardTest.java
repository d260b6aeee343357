package io.dnslb.answer;

import static io.dnslb.testing.Answers.section;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dnslb.testing.ServedZones;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** RFC 4592. */
class WildcardTest extends ServedZones {
  @Test
  void synthesisesWithTheQueryNameAsOwner() throws Exception {
    assertEquals(List.of("anything.wild.example.test. 3600 A 192.0.2.99"),
        section(dns.udp("anything.wild.example.test.", Type.A), Section.ANSWER));
    assertEquals(List.of("a.b.wild.example.test. 3600 A 192.0.2.99"),
        section(dns.udp("a.b.wild.example.test.", Type.A), Section.ANSWER), "several labels deep");
  }

  @Test
  void wildcardNodeWithoutTheTypeIsNodata() throws Exception {
    Message m = dns.udp("anything.wild.example.test.", Type.AAAA);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertEquals(List.of(), section(m, Section.ANSWER));
    assertEquals(Type.SOA, m.getSection(Section.AUTHORITY).get(0).getType());
  }

  @Test
  void anExistingNameIsNotCoveredByTheWildcard() throws Exception {
    assertEquals(List.of("exists.wild.example.test. 3600 A 192.0.2.98"),
        section(dns.udp("exists.wild.example.test.", Type.A), Section.ANSWER));
    Message m = dns.udp("exists.wild.example.test.", Type.TXT);
    assertEquals(List.of(), section(m, Section.ANSWER), "NODATA, not the wildcard's TXT");
  }

  @Test
  void anEmptyNonTerminalBlocksTheWildcard() throws Exception {
    Message ent = dns.udp("y.wild.example.test.", Type.A);
    assertEquals(Rcode.NOERROR, ent.getRcode());
    assertEquals(List.of(), section(ent, Section.ANSWER));
    Message below = dns.udp("z.y.wild.example.test.", Type.A);
    assertEquals(Rcode.NXDOMAIN, below.getRcode(), "closest encloser y.wild has no *");
  }

  @Test
  void wildcardCnameIsFollowed() throws Exception {
    assertEquals(List.of("q.cw.example.test. 3600 CNAME www.example.test.",
        "www.example.test. 3600 A 192.0.2.80", "www.example.test. 3600 A 192.0.2.81"),
        section(dns.udp("q.cw.example.test.", Type.A), Section.ANSWER));
  }

  @Test
  void theWildcardNameItselfAnswersLiterally() throws Exception {
    assertEquals(List.of("*.wild.example.test. 3600 A 192.0.2.99"),
        section(dns.udp("*.wild.example.test.", Type.A), Section.ANSWER));
  }
}
