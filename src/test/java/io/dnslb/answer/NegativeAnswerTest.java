package io.dnslb.answer;

import static io.dnslb.testing.Answers.section;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.ServedZones;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class NegativeAnswerTest extends ServedZones {
  // SOA TTL 3600, MINIMUM 300: the negative TTL is the smaller (RFC 2308 §3).
  private static final List<String> SOA = List.of(
      "example.test. 300 SOA ns1.example.test. hostmaster.example.test. 42 7200 900 1209600 300");

  @Test
  void nxdomainCarriesTheSoa() throws Exception {
    Message m = dns.udp("nope.example.test.", Type.A);
    assertEquals(Rcode.NXDOMAIN, m.getRcode());
    assertTrue(m.getHeader().getFlag(Flags.AA));
    assertEquals(List.of(), section(m, Section.ANSWER));
    assertEquals(SOA, section(m, Section.AUTHORITY));
  }

  @Test
  void nodataForAMissingType() throws Exception {
    Message m = dns.udp("www.example.test.", Type.MX);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertEquals(List.of(), section(m, Section.ANSWER));
    assertEquals(SOA, section(m, Section.AUTHORITY));
  }

  @Test
  void nodataForEmptyNonTerminals() throws Exception {
    for (String ent : List.of("b.c.example.test.", "c.example.test.")) {
      Message m = dns.udp(ent, Type.A);
      assertEquals(Rcode.NOERROR, m.getRcode(), ent);
      assertEquals(SOA, section(m, Section.AUTHORITY), ent);
    }
  }

  @Test
  void negativeTtlIsSoaTtlWhenThatIsSmaller() throws Exception {
    Message m = dns.udp("nope.other.test.", Type.A); // SOA TTL 3600, MINIMUM 600
    assertEquals(600, m.getSection(Section.AUTHORITY).get(0).getTTL());
    Message d = dns.udp("nope.deep.example.test.", Type.A); // SOA TTL 60, MINIMUM 30
    assertEquals(30, d.getSection(Section.AUTHORITY).get(0).getTTL());
  }
}
