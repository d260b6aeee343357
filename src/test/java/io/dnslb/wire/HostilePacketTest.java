package io.dnslb.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.ServedZones;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Packets built byte by byte to break a parser: each gets FORMERR with the query's ID or
 * nothing, never SERVFAIL (which would mean an exception reached the top), and the listener
 * keeps answering afterwards.
 */
class HostilePacketTest extends ServedZones {
  private static final int ID = 0x4242;

  @AfterEach
  void listenerStillServes() throws Exception {
    assertEquals(Rcode.NOERROR, dns.udp("www.example.test.", Type.A).getRcode());
  }

  /** Sends the packet; a reply, if any, must be FORMERR for this query. */
  private static void formerrOrSilence(byte[] packet) throws Exception {
    byte[] r = dns.udpRaw(packet);
    if (r != null) {
      assertEquals(Rcode.FORMERR, r[3] & 0xF);
      assertEquals(ID, ((r[0] & 0xff) << 8) | (r[1] & 0xff));
      assertTrue((r[2] & 0x80) != 0, "QR");
    }
  }

  private static void formerr(byte[] packet) throws Exception {
    assertNotNull(dns.udpRaw(packet), "a readable header gets an answer");
    formerrOrSilence(packet);
  }

  /** A packet: header (flags, counts), then the given body bytes. */
  private static final class Packet {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Packet(int flags, int qd, int an, int ns, int ar) {
      u16(ID).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
    }

    static Packet query(int ar) {
      return new Packet(0, 1, 0, 0, ar).name("www.example.test").u16(Type.A).u16(1);
    }

    Packet u16(int v) {
      out.write(v >>> 8);
      out.write(v);
      return this;
    }

    Packet bytes(int... bs) {
      for (int b : bs) {
        out.write(b);
      }
      return this;
    }

    Packet name(String dotted) {
      for (String label : dotted.split("\\.")) {
        out.write(label.length());
        out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
      }
      out.write(0);
      return this;
    }

    /** An OPT RR owned by the root, payload 1232, with raw RDATA. */
    Packet opt(byte[] rdata) {
      return opt(rdata, rdata.length);
    }

    Packet opt(byte[] rdata, int claimedLength) {
      bytes(0).u16(Type.OPT).u16(1232).u16(0).u16(0).u16(claimedLength);
      out.writeBytes(rdata);
      return this;
    }

    byte[] wire() {
      return out.toByteArray();
    }
  }

  /** ECS option (code 8) RDATA: family, source prefix, scope prefix, address bytes. */
  private static byte[] ecs(int family, int source, int scope, int... address) {
    Packet p = new Packet(0, 0, 0, 0, 0); // borrow the writer, then drop its 12-byte header
    p.u16(8).u16(4 + address.length).u16(family).bytes(source, scope).bytes(address);
    byte[] all = p.wire();
    return java.util.Arrays.copyOfRange(all, 12, all.length);
  }

  @Test
  void compressionPointerLoopsAndForwardPointers() throws Exception {
    // 12: pointer to 14; 14: pointer to 12 — a two-step loop.
    formerr(new Packet(0, 1, 0, 0, 0).bytes(0xC0, 14, 0xC0, 12).u16(1).u16(1).wire());
    // A pointer past the end of the message.
    formerr(new Packet(0, 1, 0, 0, 0).bytes(0xC0, 0xFF).u16(1).u16(1).wire());
  }

  @Test
  void labelOverSixtyThreeBytes() throws Exception {
    // A length byte of 64 has the top bits 01: an extended label type nobody may use.
    formerr(new Packet(0, 1, 0, 0, 0).name("a".repeat(64)).u16(1).u16(1).wire());
  }

  @Test
  void nameOverTwoHundredFiftyFiveBytes() throws Exception {
    String label = "a".repeat(63);
    String name = String.join(".", label, label, label, label, label);
    formerr(new Packet(0, 1, 0, 0, 0).name(name).u16(1).u16(1).wire());
  }

  @Test
  void recordsPastTheEnd() throws Exception {
    formerr(new Packet(0, 1, 1, 0, 0).name("www.example.test").u16(1).u16(1).wire());
    // An OPT whose RDATA length runs past the end of the packet.
    formerr(Packet.query(1).opt(new byte[4], 40).wire());
  }

  @Test
  void optOwnedByANameOtherThanTheRoot() throws Exception {
    formerr(Packet.query(1).name("x").u16(Type.OPT).u16(1232).u16(0).u16(0).u16(0).wire());
  }

  @Test
  void optInTheAnswerSection() throws Exception {
    formerr(new Packet(0, 1, 1, 0, 0).name("www.example.test").u16(1).u16(1)
        .opt(new byte[0]).wire());
  }

  @Test
  void truncatedOptions() throws Exception {
    // Option header says 20 bytes of data, RDATA holds 4.
    formerr(Packet.query(1).opt(new byte[] {0, 10, 0, 20, 1, 2, 3, 4}).wire());
    // Half an option header.
    formerr(Packet.query(1).opt(new byte[] {0, 10}).wire());
  }

  @Test
  void badClientSubnetOptions() throws Exception {
    formerrOrSilence(Packet.query(1).opt(ecs(3, 8, 0, 10)).wire()); // no such family
    formerrOrSilence(Packet.query(1).opt(ecs(1, 33, 0, 10, 0, 0, 0, 0)).wire()); // > 32 bits
    formerrOrSilence(Packet.query(1).opt(ecs(2, 129, 0, 0x20)).wire()); // > 128 bits
    formerrOrSilence(Packet.query(1).opt(ecs(1, 8, 0, 10, 1, 2, 3)).wire()); // bytes past /8
    formerrOrSilence(Packet.query(1).opt(ecs(1, 24, 0, 10)).wire()); // too few address bytes
  }

  @Test
  void truncationFlagHidingATruncatedQuestion() throws Exception {
    // TC set: dnsjava then stops quietly at the end instead of throwing (found by fuzzing).
    formerr(new Packet(0x0200, 1, 0, 0, 0).bytes(3, 'w', 'w').wire());
  }
}
