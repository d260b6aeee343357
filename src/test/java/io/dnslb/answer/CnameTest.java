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

class CnameTest extends ServedZones {
  @Test
  void followsTheChainInsideOurZones() throws Exception {
    Message m = dns.udp("chain1.example.test.", Type.A);
    assertEquals(List.of(
        "chain1.example.test. 3600 CNAME chain2.example.test.",
        "chain2.example.test. 3600 CNAME alias.example.test.",
        "alias.example.test. 3600 CNAME www.example.test.",
        "www.example.test. 3600 A 192.0.2.80",
        "www.example.test. 3600 A 192.0.2.81"), section(m, Section.ANSWER));
    assertTrue(m.getHeader().getFlag(Flags.AA));
  }

  @Test
  void followsIntoAnotherZoneWeServe() throws Exception {
    Message m = dns.udp("toother.example.test.", Type.A);
    assertEquals(List.of("toother.example.test. 3600 CNAME host.other.test.",
        "host.other.test. 3600 A 198.51.100.7"), section(m, Section.ANSWER));
  }

  @Test
  void anOutOfZoneTargetEndsTheAnswer() throws Exception {
    Message m = dns.udp("out.example.test.", Type.A);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertEquals(List.of("out.example.test. 3600 CNAME www.elsewhere.example."),
        section(m, Section.ANSWER));
  }

  @Test
  void loopsEndWithoutRepeating() throws Exception {
    Message m = dns.udp("loop1.example.test.", Type.A);
    assertEquals(List.of("loop1.example.test. 3600 CNAME loop2.example.test.",
        "loop2.example.test. 3600 CNAME loop1.example.test."), section(m, Section.ANSWER));
  }

  @Test
  void aTargetThatDoesNotExistGivesNxdomainWithTheChain() throws Exception {
    Message m = dns.udp("tonx.example.test.", Type.A);
    assertEquals(Rcode.NXDOMAIN, m.getRcode()); // RFC 6604: the rcode of the last name
    assertEquals(1, m.getSection(Section.ANSWER).size());
    assertEquals(Type.SOA, m.getSection(Section.AUTHORITY).get(0).getType());
  }

  @Test
  void aCnameQueryGetsTheCnameItself() throws Exception {
    Message m = dns.udp("alias.example.test.", Type.CNAME);
    assertEquals(List.of("alias.example.test. 3600 CNAME www.example.test."),
        section(m, Section.ANSWER));
  }
}
