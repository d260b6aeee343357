package io.dnslb.transport;

import static io.dnslb.testing.Answers.first;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dnslb.testing.DnsClient;
import io.dnslb.testing.TestServer;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The UDP transport itself, whichever answers: Netty on JDK 17 (the default test run), the
 * native loops in the native-udp profile's run on JDK 22+ (dnslb.dns.udp-transport = native).
 * Batches, the client's address as policies see it, IPv6, hostile datagrams, stopping.
 */
class UdpTransportTest {
  static final String ZONE = """
      $ORIGIN t.test.
      $TTL 300
      @        IN SOA ns1 hostmaster 1 3600 600 86400 60
      @        IN NS  ns1
      ns1      IN A   192.0.2.1
      www      IN A   192.0.2.80
      """;
  static final String POOLS = """
      pools {
        s {
          names = ["s.t.test."]
          policy = sticky
          members = [
            { address = "192.0.2.10" }
            { address = "192.0.2.11" }
            { address = "192.0.2.12" }
            { address = "192.0.2.13" }
            { address = "192.0.2.14" }
            { address = "192.0.2.15" }
            { address = "192.0.2.16" }
          ]
        }
      }
      """;

  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = serve(dir, "127.0.0.1:0");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static TestServer serve(Path in, String listen) throws Exception {
    return TestServer.in(in).file("t.test.zone", ZONE).file("t.test.pools.conf", POOLS)
        .set("dns.listen", List.of(listen)).start();
  }

  @Test
  void theTransportAskedForIsTheOneThatRuns() {
    String asked = System.getProperty("dnslb.dns.udp-transport", "auto");
    if (asked.equals("native")) {
      assertEquals("native", server.server().udpTransport());
    } else if (Runtime.version().feature() < 22 || asked.equals("netty")) {
      assertNotEquals("native", server.server().udpTransport());
    }
  }

  @Test
  void manyQueriesInFlightAreAllAnsweredWithTheirIds() throws Exception {
    int count = 100;
    Set<Integer> ids = new HashSet<>();
    List<Message> answers =
        burst(server.address(), count, id -> id % 2 == 0 ? "www.t.test." : "s.t.test.");
    for (Message m : answers) {
      int id = m.getHeader().getID();
      assertEquals(Rcode.NOERROR, m.getRcode());
      assertEquals(1, m.getSection(Section.ANSWER).size());
      if (id % 2 == 0) {
        assertEquals("192.0.2.80", first(m));
      }
      ids.add(id);
    }
    assertEquals(count, ids.size(), "one answer per query, none twice");
  }

  /**
   * dnslb.dns.udp-batch = 1 (the native loop reads one datagram per recvmmsg; Netty ignores the
   * setting): a burst of queries, more than any batch, is still answered in full.
   */
  @Test
  void aBatchOfOneAnswersABurst(@TempDir Path other) throws Exception {
    try (TestServer one = TestServer.in(other).file("t.test.zone", ZONE)
        .set("dns.listen", List.of("127.0.0.1:0")).set("dns.udp-batch", 1).start()) {
      int count = 40;
      Set<Integer> ids = new HashSet<>();
      for (Message m : burst(one.address(), count, id -> "www.t.test.")) {
        assertEquals("192.0.2.80", first(m));
        ids.add(m.getHeader().getID());
      }
      assertEquals(count, ids.size(), "one answer per query, none twice");
    }
  }

  /**
   * Sends queries with ids 1..count (the name for each from {@code name}) without waiting, then
   * reads as many answers, in the order they come.
   */
  private static List<Message> burst(InetSocketAddress to, int count, IntFunction<String> name)
      throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      s.connect(to);
      s.setSoTimeout(5000);
      for (int id = 1; id <= count; id++) {
        Message q = DnsClient.query(name.apply(id), Type.A);
        q.getHeader().setID(id);
        byte[] b = q.toWire();
        s.send(new DatagramPacket(b, b.length));
      }
      List<Message> answers = new ArrayList<>();
      byte[] buf = new byte[4096];
      for (int i = 0; i < count; i++) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        answers.add(new Message(java.util.Arrays.copyOf(buf, p.getLength())));
      }
      return answers;
    }
  }

  /**
   * A sticky pool keys on the client's /24: over UDP (the transport's source decoding) the
   * member is the one TCP (the JDK's socket address) gives the same source, and the sources
   * do not all get one member (a constant or garbled source would).
   */
  @Test
  void clientAwarePoliciesSeeTheSourceAddressAsOverTcp() throws Exception {
    Set<String> seen = new HashSet<>();
    for (int net = 1; net <= 12; net++) {
      DnsClient c = server.client().from(InetAddress.getByName("127.0." + net + ".1"));
      String udp = first(c.udp("s.t.test.", Type.A));
      assertEquals(first(c.tcp("s.t.test.", Type.A)), udp, "127.0." + net + ".1");
      seen.add(udp);
    }
    assertTrue(seen.size() > 1, "12 client networks all got " + seen);
  }

  /**
   * Native transport only for now: Netty's epoll UDP socket on [::1] leaves datagrams from a
   * JDK DatagramSocket bound to ::1 unread in its queue (dig and Python clients get answers;
   * seen on main before this transport existed), to be looked into separately.
   */
  @Test
  void answersOnIpv6Loopback(@TempDir Path other) throws Exception {
    assumeTrue("native".equals(server.server().udpTransport()), "IPv6 UDP NOT TESTED ON "
        + server.server().udpTransport() + " (see the comment on this test)");
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("::1", 0))) {
      assumeTrue(probe.getLocalAddress() != null);
    } catch (IOException e) {
      assumeTrue(false, "NO IPv6 LOOPBACK (::1) ON THIS MACHINE: IPv6 UDP not tested: " + e);
    }
    try (TestServer v6 = serve(other, "[::1]:0")) {
      DnsClient c = v6.client().from(InetAddress.getByName("::1"));
      Message m = c.udp("www.t.test.", Type.AAAA);
      assertEquals(Rcode.NOERROR, m.getRcode());
      assertEquals("192.0.2.80", first(c.udp("www.t.test.", Type.A)));
      // The sticky pool keys IPv6 sources too: UDP and TCP from ::1 agree.
      assertEquals(first(c.tcp("s.t.test.", Type.A)), first(c.udp("s.t.test.", Type.A)));
    }
  }

  @Test
  void hostileDatagramsGetSilenceOrFormerrAndServingGoesOn() throws Exception {
    Random random = new Random(17);
    byte[] garbage = new byte[300];
    random.nextBytes(garbage);
    garbage[2] &= 0x07; // a query (QR clear), opcode QUERY, so it is parsed and refused
    byte[] noQuestion = new byte[12];
    noQuestion[1] = 1; // ID 1, QDCOUNT 1, and no question follows
    noQuestion[5] = 1;
    byte[] response = DnsClient.query("www.t.test.", Type.A).toWire();
    response[2] |= (byte) 0x80; // QR set: a response is never answered
    byte[] oversize = new byte[5000]; // no real query is this long; zeros: no question either
    oversize[0] = 7;
    List<byte[]> hostile = List.of(new byte[0], new byte[1], new byte[11], noQuestion, response,
        garbage, oversize);
    DnsClient c = server.client();
    for (byte[] packet : hostile) {
      byte[] r = c.udpRaw(packet);
      if (r != null) {
        assertTrue(packet.length >= 12 && (packet[2] & 0x80) == 0, "answered " + packet.length
            + " bytes that are not a query");
        assertEquals(Rcode.FORMERR, r[3] & 0xF, "rcode for " + packet.length + " bytes");
        assertEquals(packet[0], r[0]);
        assertEquals(packet[1], r[1]);
      }
      assertEquals("192.0.2.80", first(c.udp("www.t.test.", Type.A)), "serving after a "
          + packet.length + "-byte datagram");
    }
    assertNotNull(c.udpRaw(noQuestion), "a header claiming a question that is missing: FORMERR");
  }

  /**
   * Closing returns promptly and frees the UDP port at once: a socket without SO_REUSEPORT
   * can bind it (it could not while any of ours is open), and a new server serves on it.
   */
  @Test
  void closeIsPromptAndFreesThePort(@TempDir Path first, @TempDir Path second) throws Exception {
    TestServer s = serve(first, "127.0.0.1:0");
    int port = s.address().getPort();
    assertEquals("192.0.2.80", first(s.client().udp("www.t.test.", Type.A)));
    long start = System.nanoTime();
    s.close();
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < 10_000, "close took " + millis + " ms");
    try (DatagramSocket plain = new DatagramSocket(null)) {
      plain.bind(new InetSocketAddress("127.0.0.1", port));
    } catch (BindException e) {
      throw new AssertionError("UDP port " + port + " still held after close", e);
    }
    try (TestServer again = serve(second, "127.0.0.1:" + port)) {
      assertEquals(port, again.address().getPort());
      assertEquals("192.0.2.80", first(again.client().udp("www.t.test.", Type.A)));
    }
  }

}
