package io.dnslb.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** What the in-place parser accepts, and that it declines everything the general path owns. */
class FastQueryTest {
  private static Message query(String name) throws Exception {
    Message m = new Message(0x1234);
    m.addRecord(Record.newRecord(Name.fromString(name), Type.A, DClass.IN), Section.QUESTION);
    return m;
  }

  private static byte[] withOpt(Message m, int version, int flags, List<EDNSOption> options) {
    m.addRecord(new OPTRecord(1232, 0, version, flags, options), Section.ADDITIONAL);
    return m.toWire();
  }

  private static boolean parses(byte[] wire) {
    return new FastQuery().parse(wire, wire.length);
  }

  @Test
  void plainQueryParsesWithLoweredNameAndFlags() throws Exception {
    Message m = query("WwW.Example.TEST.");
    m.getHeader().setFlag(Flags.RD);
    m.getHeader().setFlag(Flags.CD);
    byte[] wire = m.toWire();
    FastQuery q = new FastQuery();
    assertTrue(q.parse(wire, wire.length));
    byte[] lowered = Name.fromString("www.example.test.").toWireCanonical();
    assertArrayEquals(lowered, Arrays.copyOf(q.name, q.nameLength));
    assertEquals(Type.A, q.qtype);
    assertEquals(DClass.IN, q.qclass);
    assertEquals(wire.length, q.questionEnd);
    assertEquals(Wire.FLAG_RD | Wire.FLAG_CD, q.copiedFlags);
    assertFalse(q.edns);
    assertEquals(512, q.sizeLimit(false, 1232));
    assertEquals(65535, q.sizeLimit(true, 1232));
  }

  @Test
  void bareOptParsesWithPayloadAndDo() throws Exception {
    byte[] wire = withOpt(query("www.example.test."), 0, 0x8000, List.of());
    FastQuery q = new FastQuery();
    assertTrue(q.parse(wire, wire.length));
    assertTrue(q.edns);
    assertTrue(q.dnssecOk);
    assertEquals(1232, q.payload);
    assertEquals(1232, q.sizeLimit(false, 4096));
    assertEquals(1000, q.sizeLimit(false, 1000));
  }

  @Test
  void caseDoesNotChangeTheHash() throws Exception {
    FastQuery a = new FastQuery();
    FastQuery b = new FastQuery();
    byte[] upper = query("WWW.EXAMPLE.TEST.").toWire();
    byte[] lower = query("www.example.test.").toWire();
    assertTrue(a.parse(upper, upper.length) && b.parse(lower, lower.length));
    assertEquals(a.nameHash, b.nameHash);
  }

  @Test
  void optionsAndOtherVersionsFallBack() throws Exception {
    assertFalse(parses(withOpt(query("a.test."), 0, 0,
        List.of(new ClientSubnetOption(24, InetAddress.getByName("198.18.7.0"))))));
    assertFalse(parses(withOpt(query("a.test."), 0, 0, List.of(new CookieOption(new byte[8])))));
    assertFalse(parses(withOpt(query("a.test."), 1, 0, List.of())));
  }

  @Test
  void unusualHeadersFallBack() throws Exception {
    byte[] base = query("a.test.").toWire();
    int[][] patches = {
        {2, 0x80}, // QR
        {2, 0x10}, // opcode 2
        {5, 2}, // QDCOUNT 2
        {5, 0}, // QDCOUNT 0
        {7, 1}, // ANCOUNT 1
        {9, 1}, // NSCOUNT 1
        {11, 2}, // ARCOUNT 2
        {11, 1}, // ARCOUNT 1 with no OPT there
    };
    for (int[] p : patches) {
      byte[] q = base.clone();
      q[p[0]] |= (byte) p[1];
      if (p[0] == 5) {
        q[5] = (byte) p[1];
      }
      assertFalse(parses(q), "patch at " + p[0]);
    }
  }

  @Test
  void oddNamesAndLengthsFallBack() throws Exception {
    byte[] base = query("a.test.").toWire();
    assertFalse(parses(Arrays.copyOf(base, base.length - 1)), "truncated question");
    assertFalse(parses(Arrays.copyOf(base, base.length + 1)), "trailing byte");
    assertFalse(parses(Arrays.copyOf(base, 11)), "short header");
    byte[] pointer = base.clone();
    pointer[12] = (byte) 0xC0; // a compression pointer as the first label
    assertFalse(parses(pointer));
    byte[] longLabel = base.clone();
    longLabel[12] = 64;
    assertFalse(parses(longLabel));
    // A 255-byte name is legal, one byte more is not (built by hand: dnsjava refuses it).
    assertTrue(parses(rawName(255)));
    assertFalse(parses(rawName(257)));
  }

  /** A query whose name has the given wire length (odd lengths only), labels of up to 63. */
  private static byte[] rawName(int wireLength) {
    byte[] name = new byte[wireLength];
    int pos = 0;
    while (wireLength - 1 - pos > 0) {
      int len = Math.min(63, wireLength - 1 - pos - 1);
      name[pos] = (byte) len;
      Arrays.fill(name, pos + 1, pos + 1 + len, (byte) 'x');
      pos += 1 + len;
    }
    byte[] q = new byte[12 + wireLength + 4];
    q[5] = 1;
    System.arraycopy(name, 0, q, 12, wireLength);
    q[q.length - 3] = 1;
    q[q.length - 1] = 1;
    return q;
  }
}
