package io.dnslb.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.DnsClient;
import io.dnslb.testing.TestServer;
import io.dnslb.testing.TestZones;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Properties of every UDP response, over random queries (seeded, so a failure replays): it
 * parses, echoes the ID and the question byte for byte, fits the client's limit, and has TC set
 * whenever it holds fewer answer or authority records than the same query gets over TCP.
 * Plain JUnit with a seeded Random: the query space is a short list of names and types, so a
 * property framework's shrinking would add a dependency for little.
 */
class UdpResponsePropertyTest {
  private static final long SEED = 20261125L;
  private static final int QUERIES = 300;
  private static final String[] NAMES = {
    "example.test.", "www.example.test.", "mail.example.test.", "big.example.test.",
    "many.example.test.", "huge.example.test.", "nope.example.test.", "alias.example.test.",
    "chain1.example.test.", "foo.wild.example.test.", "sub.example.test.",
    "host.sub.example.test.", "b.c.example.test.", "www.example.org.", "unk.example.test.",
  };
  private static final int[] TYPES = {
    Type.A, Type.AAAA, Type.TXT, Type.MX, Type.ANY, Type.NS, Type.SOA, Type.SRV, Type.DS,
    Type.CNAME, 65280,
  };
  /** EDNS payload sizes; 0 = no OPT. */
  private static final int[] PAYLOADS = {0, 0, 512, 600, 1232, 4096, 65535};

  @TempDir Path dir;

  @Test
  void everyUdpResponseIsWellFormedFitsAndSaysWhenItWasCut() throws Exception {
    StringBuilder zone = new StringBuilder(TestZones.EXAMPLE);
    for (int i = 0; i < 60; i++) { // about 1 KB: over 512, under 1232
      zone.append("many A 10.1.0.").append(i).append('\n');
    }
    for (int i = 0; i < 400; i++) { // over any UDP limit
      zone.append("huge A 10.2.").append(i / 250).append('.').append(i % 250).append('\n');
    }
    try (TestServer s = TestServer.in(dir).file("example.test.zone", zone.toString()).start()) {
      Random random = new Random(SEED);
      for (int i = 0; i < QUERIES; i++) {
        Message q = DnsClient.query(randomCase(random, NAMES[random.nextInt(NAMES.length)]),
            TYPES[random.nextInt(TYPES.length)]);
        q.getHeader().setID(random.nextInt(65536));
        int payload = PAYLOADS[random.nextInt(PAYLOADS.length)];
        if (payload > 0) {
          DnsClient.edns(q, payload, random.nextBoolean() ? ExtendedFlags.DO : 0);
        }
        check(s.client(), q, payload, "query " + i + ": " + q.getQuestion());
      }
    }
  }

  private static void check(DnsClient client, Message q, int payload, String what)
      throws Exception {
    byte[] sent = q.toWire();
    byte[] got = client.udpRaw(sent);
    assertTrue(got != null, what + ": no answer");
    int limit = payload == 0 ? 512 : Math.max(512, Math.min(payload, 1232));
    assertTrue(got.length <= limit, what + ": " + got.length + " bytes > " + limit);
    Message r = new Message(got);
    assertTrue(r.getHeader().getFlag(Flags.QR), what);
    assertEquals(q.getHeader().getID(), r.getHeader().getID(), what);
    int qlen = questionLength(sent);
    assertArrayEquals(Arrays.copyOfRange(sent, 12, 12 + qlen),
        Arrays.copyOfRange(got, 12, 12 + qlen), what + ": question echoed exactly");
    Message full = client.tcp(q);
    int udpRecords = records(r);
    int tcpRecords = records(full);
    assertTrue(udpRecords <= tcpRecords, what);
    if (udpRecords < tcpRecords) {
      assertTrue(r.getHeader().getFlag(Flags.TC), what + ": records dropped without TC");
    }
  }

  private static int records(Message m) {
    return m.getSection(Section.ANSWER).size() + m.getSection(Section.AUTHORITY).size();
  }

  /** The question's length in an uncompressed query: its name, type and class. */
  private static int questionLength(byte[] query) {
    int i = 12;
    while (query[i] != 0) {
      i += 1 + query[i];
    }
    return i + 1 + 4 - 12;
  }

  /** DNS 0x20: resolvers randomize case and expect it back as sent. */
  private static String randomCase(Random random, String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      sb.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
    }
    return sb.toString();
  }
}
