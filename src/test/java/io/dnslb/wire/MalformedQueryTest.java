package io.dnslb.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dnslb.testing.DnsClient;
import io.dnslb.testing.ServedZones;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class MalformedQueryTest extends ServedZones {
  private static byte[] wire() {
    Message q = DnsClient.query("www.example.test.", Type.A);
    q.getHeader().setID(0x4242);
    return q.toWire();
  }

  @AfterEach
  void listenerStillServes() throws Exception {
    assertEquals(Rcode.NOERROR, dns.udp("www.example.test.", Type.A).getRcode());
  }

  private static int rcode(byte[] reply) {
    return reply[3] & 0xF;
  }

  @Test
  void shortPacketsAreDropped() throws Exception {
    assertNull(dns.udpRaw(new byte[0]));
    assertNull(dns.udpRaw(Arrays.copyOf(wire(), 11)));
  }

  @Test
  void responsesAreDropped() throws Exception {
    byte[] q = wire();
    q[2] |= (byte) 0x80; // QR
    assertNull(dns.udpRaw(q));
  }

  @Test
  void otherOpcodesGetNotimp() throws Exception {
    for (int opcode : new int[] {Opcode.IQUERY, Opcode.STATUS, Opcode.NOTIFY, Opcode.UPDATE, 15}) {
      byte[] q = wire();
      q[2] = (byte) ((q[2] & 0x87) | (opcode << 3));
      byte[] r = dns.udpRaw(q);
      assertNotNull(r, "opcode " + opcode);
      assertEquals(Rcode.NOTIMP, rcode(r), "opcode " + opcode);
      assertEquals(0x42, r[0]);
      assertEquals(opcode, (r[2] >> 3) & 0xF, "opcode echoed");
    }
  }

  @Test
  void questionCountOtherThanOneIsFormerr() throws Exception {
    for (int qd : new int[] {0, 2, 65535}) {
      byte[] q = wire();
      q[4] = (byte) (qd >> 8);
      q[5] = (byte) qd;
      byte[] r = dns.udpRaw(q);
      assertEquals(Rcode.FORMERR, rcode(r), "qdcount " + qd);
      assertEquals(0x42, r[0] & 0xff);
      assertEquals(0x42, r[1] & 0xff);
    }
  }

  @Test
  void truncatedQuestionIsFormerr() throws Exception {
    byte[] q = wire();
    assertEquals(Rcode.FORMERR, rcode(dns.udpRaw(Arrays.copyOf(q, q.length - 3))));
  }

  @Test
  void recordsPastTheEndAreFormerr() throws Exception {
    byte[] q = wire();
    q[11] = 3; // ARCOUNT 3, none present
    assertEquals(Rcode.FORMERR, rcode(dns.udpRaw(q)));
  }

  @Test
  void twoOptRecordsAreFormerr() throws Exception {
    Message m = DnsClient.query("www.example.test.", Type.A);
    m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    assertEquals(Rcode.FORMERR, rcode(dns.udpRaw(m.toWire())));
  }

  @Test
  void optOutsideAdditionalIsFormerr() throws Exception {
    Message m = DnsClient.query("www.example.test.", Type.A);
    m.addRecord(new OPTRecord(1232, 0, 0), Section.AUTHORITY);
    assertEquals(Rcode.FORMERR, rcode(dns.udpRaw(m.toWire())));
  }

  @Test
  void compressionLoopIsFormerr() throws Exception {
    byte[] q = {0, 7, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xC0, 12, 0, 1, 0, 1};
    assertEquals(Rcode.FORMERR, rcode(dns.udpRaw(q)));
  }

  @Test
  void randomGarbageNeverKillsTheListener() throws Exception {
    Random random = new Random(7);
    for (int i = 0; i < 300; i++) {
      byte[] junk = new byte[random.nextInt(80)];
      random.nextBytes(junk);
      if (junk.length > 2) {
        junk[2] &= 0x7f; // mostly queries, so most of them reach the parser
      }
      dns.udpSend(junk);
    }
  }

  @Test
  void questionIsEchoedByteForByteIncludingCase() throws Exception {
    Message q = DnsClient.query("wWw.ExAmPlE.TeSt.", Type.A);
    byte[] sent = q.toWire();
    byte[] got = dns.udpRaw(sent);
    int qlen = sent.length - 12;
    assertArrayEquals(Arrays.copyOfRange(sent, 12, 12 + qlen), Arrays.copyOfRange(got, 12, 12 + qlen));
    Message m = new Message(got);
    assertEquals(2, m.getSection(Section.ANSWER).size());
    assertEquals(1, m.getHeader().getFlag(Flags.QR) ? 1 : 0);
  }
}
