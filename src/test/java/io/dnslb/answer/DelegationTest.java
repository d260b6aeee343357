package io.dnslb.answer;

import static io.dnslb.testing.Answers.section;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.ServedZones;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class DelegationTest extends ServedZones {
  private static final List<String> NS = List.of("sub.example.test. 3600 NS ns.sub.example.test.",
      "sub.example.test. 3600 NS ns.elsewhere.example.");

  @Test
  void belowACutIsAReferralWithGlue() throws Exception {
    Message m = dns.udp("www.sub.example.test.", Type.A);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertFalse(m.getHeader().getFlag(Flags.AA));
    assertEquals(List.of(), section(m, Section.ANSWER));
    assertEquals(NS, section(m, Section.AUTHORITY));
    assertEquals(List.of("ns.sub.example.test. 3600 A 192.0.2.53"), section(m, Section.ADDITIONAL));
  }

  @Test
  void atTheCutIsAReferralToo() throws Exception {
    Message m = dns.udp("sub.example.test.", Type.NS);
    assertFalse(m.getHeader().getFlag(Flags.AA));
    assertEquals(List.of(), section(m, Section.ANSWER));
    assertEquals(NS, section(m, Section.AUTHORITY));
  }

  @Test
  void glueIsNotAnsweredAuthoritatively() throws Exception {
    Message m = dns.udp("ns.sub.example.test.", Type.A);
    assertFalse(m.getHeader().getFlag(Flags.AA));
    assertEquals(NS, section(m, Section.AUTHORITY));
  }

  @Test
  void dsAtTheCutComesFromTheParentAuthoritatively() throws Exception {
    Message m = dns.udp("sub.example.test.", Type.DS);
    assertTrue(m.getHeader().getFlag(Flags.AA));
    assertEquals(1, m.getSection(Section.ANSWER).size());
    assertEquals(Type.DS, m.getSection(Section.ANSWER).get(0).getType());
  }

  @Test
  void dsAtAChildApexWeAlsoServeComesFromTheParent() throws Exception {
    Message m = dns.udp("deep.example.test.", Type.DS);
    assertTrue(m.getHeader().getFlag(Flags.AA));
    assertEquals(List.of(), section(m, Section.ANSWER));
    assertEquals("example.test.", m.getSection(Section.AUTHORITY).get(0).getName().toString(),
        "NODATA with the parent's SOA");
  }
}
