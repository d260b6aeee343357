package io.dnslb.answer;

import static io.dnslb.testing.Answers.section;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.DnsClient;
import io.dnslb.testing.ServedZones;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ExactMatchTest extends ServedZones {
  @Test
  void answersTheRRsetAuthoritatively() throws Exception {
    Message m = dns.udp("www.example.test.", Type.A);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertTrue(m.getHeader().getFlag(Flags.AA));
    assertFalse(m.getHeader().getFlag(Flags.RA));
    assertEquals(List.of("www.example.test. 3600 A 192.0.2.80", "www.example.test. 3600 A 192.0.2.81"),
        section(m, Section.ANSWER));
    assertEquals(List.of(), section(m, Section.AUTHORITY));
  }

  @Test
  void neverRecursesWhateverRdSays() throws Exception {
    Message q = DnsClient.query("www.example.test.", Type.A);
    q.getHeader().setFlag(Flags.RD);
    Message m = dns.udp(q);
    assertTrue(m.getHeader().getFlag(Flags.RD), "RD is copied");
    assertFalse(m.getHeader().getFlag(Flags.RA), "RA stays clear");
  }

  @Test
  void addsAddressesOfMxTargetsInOurZones() throws Exception {
    Message m = dns.udp("example.test.", Type.MX);
    assertEquals(2, m.getSection(Section.ANSWER).size());
    assertEquals(List.of("mail.example.test. 3600 A 192.0.2.25"), section(m, Section.ADDITIONAL),
        "the out-of-zone MX target gets no additional data");
  }

  @Test
  void addsAddressesOfNsTargets() throws Exception {
    Message m = dns.udp("example.test.", Type.NS);
    assertEquals(List.of("ns1.example.test. 3600 A 192.0.2.1",
        "ns1.example.test. 3600 AAAA 2001:db8:0:0:0:0:0:1", "ns2.other.test. 3600 A 198.51.100.2"),
        section(m, Section.ADDITIONAL), "in-zone and other-zone targets we serve");
  }

  @Test
  void addsAddressesOfSrvTargets() throws Exception {
    Message m = dns.udp("_sip._udp.example.test.", Type.SRV);
    assertEquals(List.of("sip.example.test. 3600 A 192.0.2.60"), section(m, Section.ADDITIONAL));
  }

  @Test
  void servesUnknownTypesPerRfc3597() throws Exception {
    Message m = dns.udp("unk.example.test.", 65280);
    assertEquals(List.of("unk.example.test. 3600 TYPE65280 \\# 2 ABCD"), section(m, Section.ANSWER));
  }

  @Test
  void closestEnclosingZoneAnswers() throws Exception {
    Message m = dns.udp("host.deep.example.test.", Type.A);
    assertEquals(List.of("host.deep.example.test. 60 A 203.0.113.9"), section(m, Section.ANSWER));
    Message nx = dns.udp("nothing.deep.example.test.", Type.A);
    assertEquals(Rcode.NXDOMAIN, nx.getRcode());
    assertEquals("deep.example.test.", nx.getSection(Section.AUTHORITY).get(0).getName().toString());
  }

  @Test
  void refusesNamesOutsideEveryZone() throws Exception {
    Message m = dns.udp("www.example.org.", Type.A);
    assertEquals(Rcode.REFUSED, m.getRcode());
    assertFalse(m.getHeader().getFlag(Flags.AA));
    assertEquals(0, m.getSection(Section.ANSWER).size());
  }

  @Test
  void sameAnswerOverTcp() throws Exception {
    assertEquals(section(dns.udp("www.example.test.", Type.A), Section.ANSWER),
        section(dns.tcp("www.example.test.", Type.A), Section.ANSWER));
  }
}
