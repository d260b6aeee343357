package io.dnslb.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.DnsClient;
import io.dnslb.testing.ServedZones;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** RFC 6891 and truncation. */
class EdnsTest extends ServedZones {
  @Test
  void everyEdnsQueryGetsAnOptWithOurPayloadSize() throws Exception {
    for (String name : List.of("www.example.test.", "nope.example.test.", "www.example.org.")) {
      Message m = dns.udp(DnsClient.edns(DnsClient.query(name, Type.A), 4096, 0));
      OPTRecord opt = m.getOPT();
      assertNotNull(opt, name);
      assertEquals(1232, opt.getPayloadSize());
      assertEquals(0, opt.getVersion());
    }
  }

  @Test
  void refusalOutsideOurZonesSaysNotAuthoritative() throws Exception {
    Message m = dns.udp(DnsClient.edns(DnsClient.query("www.example.org.", Type.A), 1232, 0));
    assertEquals(Rcode.REFUSED, m.getRcode());
    List<EDNSOption> ede = m.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR);
    assertEquals(1, ede.size());
    assertEquals(ExtendedErrorCodeOption.NOT_AUTHORITATIVE,
        ((ExtendedErrorCodeOption) ede.get(0)).getErrorCode());
  }

  @Test
  void noOptWithoutEdns() throws Exception {
    assertNull(dns.udp("www.example.test.", Type.A).getOPT());
  }

  @Test
  void higherVersionGetsBadvers() throws Exception {
    Message q = DnsClient.query("www.example.test.", Type.A);
    q.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);
    Message m = dns.udp(q);
    assertEquals(Rcode.BADVERS, m.getRcode()); // dnsjava joins header and OPT bits
    assertEquals(0, m.getSection(Section.ANSWER).size());
    assertEquals(0, m.getOPT().getVersion());
  }

  @Test
  void doBitIsEchoed() throws Exception {
    Message m = dns.udp(DnsClient.edns(DnsClient.query("www.example.test.", Type.A), 1232,
        ExtendedFlags.DO));
    assertEquals(ExtendedFlags.DO, m.getOPT().getFlags() & ExtendedFlags.DO);
    Message plain = dns.udp(DnsClient.edns(DnsClient.query("www.example.test.", Type.A), 1232, 0));
    assertEquals(0, plain.getOPT().getFlags() & ExtendedFlags.DO);
  }

  @Test
  void unknownOptionsAreIgnored() throws Exception {
    Message m = dns.udp(DnsClient.edns(DnsClient.query("www.example.test.", Type.A), 1232, 0,
        new GenericEDNSOption(65001, new byte[] {1, 2, 3})));
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertEquals(2, m.getSection(Section.ANSWER).size());
    assertTrue(m.getOPT().getOptions().isEmpty(), "unknown options are not echoed");
  }

  @Test
  void ecsIsEchoedWithScopeZeroOutsidePools() throws Exception {
    ClientSubnetOption ecs = new ClientSubnetOption(24, InetAddress.getByName("198.51.100.0"));
    Message m = dns.udp(DnsClient.edns(DnsClient.query("www.example.test.", Type.A), 1232, 0, ecs));
    List<EDNSOption> echoed = m.getOPT().getOptions(EDNSOption.Code.CLIENT_SUBNET);
    assertEquals(1, echoed.size());
    ClientSubnetOption back = (ClientSubnetOption) echoed.get(0);
    assertEquals(24, back.getSourcePrefixLength());
    assertEquals(0, back.getScopePrefixLength());
    assertEquals(InetAddress.getByName("198.51.100.0"), back.getAddress());
  }

  @Test
  void withoutEdnsAnswersOver512BytesAreTruncatedByWholeRRsets() throws Exception {
    // Three 200-byte TXT strings: about 650 bytes, over the 512 a non-EDNS client accepts.
    byte[] wire = dns.udpRaw(DnsClient.query("big.example.test.", Type.TXT).toWire());
    assertTrue(wire.length <= 512, "size " + wire.length);
    Message m = new Message(wire);
    assertTrue(m.getHeader().getFlag(Flags.TC));
    assertEquals(0, m.getSection(Section.ANSWER).size(), "never a partial RRset");
    Message full = dns.tcp("big.example.test.", Type.TXT);
    assertFalse(full.getHeader().getFlag(Flags.TC));
    assertEquals(3, full.getSection(Section.ANSWER).size(), "the full answer over TCP");
  }

  @Test
  void ednsClientsGetUpToTheirAdvertisedSize() throws Exception {
    Message small = dns.udp(DnsClient.edns(DnsClient.query("big.example.test.", Type.TXT), 512, 0));
    assertTrue(small.getHeader().getFlag(Flags.TC));
    assertNotNull(small.getOPT(), "the OPT survives truncation");
    Message large = dns.udp(DnsClient.edns(DnsClient.query("big.example.test.", Type.TXT), 1232, 0));
    assertFalse(large.getHeader().getFlag(Flags.TC));
    assertEquals(3, large.getSection(Section.ANSWER).size());
  }
}
