package io.dnslb.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dnslb.testing.DnsClient;
import io.dnslb.testing.ServedZones;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/** A signed query with a key we do not hold is NOTAUTH/BADKEY, unsigned (RFC 8945 §5.2.2). */
class TsigQueryTest extends ServedZones {
  /** Signed: dnsjava signs in toWire(limit) only. */
  private static byte[] signed() throws Exception {
    Message q = DnsClient.query("www.example.test.", Type.A);
    q.getHeader().setID(0x1234);
    q.setTSIG(new TSIG(TSIG.HMAC_SHA256, "nobody.key.", "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"));
    byte[] wire = q.toWire(65535);
    if (new Message(wire).getTSIG() == null) {
      throw new AssertionError("the test query is not signed");
    }
    return wire;
  }

  private static void assertBadKey(Message r) throws Exception {
    assertEquals(0x1234, r.getHeader().getID());
    assertEquals(Rcode.NOTAUTH, r.getRcode());
    TSIGRecord tsig = r.getTSIG();
    assertEquals(Rcode.BADKEY, tsig.getError());
    assertEquals(Name.fromString("nobody.key."), tsig.getName());
    assertEquals(0, tsig.getSignature().length, "the refusal is unsigned");
    assertEquals(0, r.getSection(org.xbill.DNS.Section.ANSWER).size());
  }

  @Test
  void overUdp() throws Exception {
    assertBadKey(new Message(dns.udpRaw(signed())));
  }

  @Test
  void overTcp() throws Exception {
    try (java.net.Socket s = dns.connect()) {
      s.setSoTimeout(5000);
      DnsClient.writeFrame(s, signed());
      assertBadKey(new Message(DnsClient.readFrame(s)));
    }
  }

  @Test
  void unsignedQueriesAreAnsweredAsBefore() throws Exception {
    assertEquals(Rcode.NOERROR, dns.udp("www.example.test.", Type.A).getRcode());
  }
}
