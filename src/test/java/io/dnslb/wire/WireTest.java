package io.dnslb.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class WireTest {

  @Test
  void recordAtTheQuestionNameIsWhatDnsjavaWritesWithCompression() throws Exception {
    Name owner = Name.fromString("www.example.com.");
    InetAddress address = InetAddress.getByName("2001:db8::7");
    long ttl = 0x71020304L; // every TTL byte distinct and non-zero
    Record r = new AAAARecord(owner, DClass.IN, ttl, address);
    Message m = new Message(1);
    m.addRecord(Record.newRecord(owner, Type.AAAA, DClass.IN), Section.QUESTION);
    m.addRecord(r, Section.ANSWER);
    byte[] wire = m.toWire();
    int start = Wire.HEADER + owner.length() + 4; // after the question
    byte[] dnsjava = Arrays.copyOfRange(wire, start, wire.length);

    byte[] ours = new byte[Wire.RECORD_AT_QNAME + 16];
    int rdata = Wire.putRecordAtQname(ours, 0, 28, ttl, 16);
    System.arraycopy(address.getAddress(), 0, ours, rdata, 16);
    assertArrayEquals(dnsjava, ours);
  }

  @Test
  void putTtlRewritesOnlyTheTtl() {
    byte[] r = new byte[Wire.RECORD_AT_QNAME + 4];
    Wire.putRecordAtQname(r, 0, 1, 300, 4);
    byte[] before = r.clone();
    Wire.putTtl(r, 0, 7);
    assertEquals(7, Wire.u16(r, 8));
    assertEquals(0, Wire.u16(r, 6));
    assertArrayEquals(Arrays.copyOfRange(before, 0, 6), Arrays.copyOfRange(r, 0, 6));
    assertArrayEquals(Arrays.copyOfRange(before, 10, 16), Arrays.copyOfRange(r, 10, 16));
  }
}
