package io.dnslb.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.DnsClient;
import io.dnslb.testing.TestServer;
import io.dnslb.testing.TestZones;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** One client's TCP abuse must not stop others being answered: connection hoarding, slowloris. */
class TcpLimitsTest {
  private static final int PER_CLIENT = 20;

  @TempDir Path dir;

  private TestServer start(String readTimeout) throws Exception {
    StringBuilder zone = new StringBuilder(TestZones.EXAMPLE);
    for (int i = 0; i < 1000; i++) { // about 16 KB of answer
      zone.append("huge A 10.0.").append(i / 250).append('.').append(i % 250).append('\n');
    }
    for (int i = 0; i < 4000; i++) { // about 64 KB of answer: the most one TCP message holds
      zone.append("biggest A 10.1.").append(i / 250).append('.').append(i % 250).append('\n');
    }
    return TestServer.in(dir).file("example.test.zone", zone.toString())
        .set("dns.tcp.max-connections", 100)
        .set("dns.tcp.max-connections-per-client", PER_CLIENT)
        .set("dns.tcp.read-timeout", readTimeout)
        .set("dns.tcp.idle-timeout", "30s")
        .start();
  }

  /** Whether the server still holds the connection: closed ones read EOF or reset at once. */
  private static boolean open(Socket s) throws IOException {
    s.setSoTimeout(300);
    try {
      return s.getInputStream().read() != -1;
    } catch (java.net.SocketTimeoutException stillOpen) {
      return true;
    } catch (IOException reset) {
      return false;
    }
  }

  @Test
  void oneClientHoardingConnectionsLeavesRoomForOthers() throws Exception {
    try (TestServer s = start("5s")) {
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 200; i++) {
          held.add(s.client().connect());
        }
        // Let the server accept (and close) all of them.
        Thread.sleep(300);
        int open = 0;
        for (Socket sock : held) {
          open += open(sock) ? 1 : 0;
        }
        assertEquals(PER_CLIENT, open);

        assertEquals(Rcode.NOERROR, s.client().udp("www.example.test.", Type.A).getRcode());
        DnsClient other = s.client().from(InetAddress.getByName("127.0.1.2"));
        assertEquals(Rcode.NOERROR, other.tcp("www.example.test.", Type.A).getRcode());
        assertEquals(Rcode.NOERROR, other.udp("www.example.test.", Type.A).getRcode());
      } finally {
        for (Socket sock : held) {
          sock.close();
        }
      }
      Thread.sleep(200);
      assertEquals(Rcode.NOERROR, s.client().tcp("www.example.test.", Type.A).getRcode(),
          "the first client's slots are free again");
    }
  }

  /**
   * A resolver or NAT holding its share of idle connections must still be able to ask: at the
   * per-client cap the idlest connection makes room (the test: 200 idle connections,
   * then a query from the same address is answered within a second).
   */
  @Test
  void aClientAtItsCapGetsANewConnectionAndItsIdlestIsClosed() throws Exception {
    try (TestServer s = start("5s")) {
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 200; i++) {
          held.add(s.client().connect());
        }
        long t0 = System.nanoTime();
        assertEquals(Rcode.NOERROR, s.client().tcp("www.example.test.", Type.A).getRcode());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(millis < 1000, "answered after " + millis + " ms");
        assertEquals(false, open(held.get(0)), "the idlest connection was kept");
      } finally {
        for (Socket sock : held) {
          sock.close();
        }
      }
    }
  }

  /** One network is one client: fifty addresses of one /24 share the per-client cap. */
  @Test
  void addressesOfOneSlash24CountAsOneClient() throws Exception {
    try (TestServer s = start("5s")) {
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 1; i <= 50; i++) {
          held.add(s.client().from(InetAddress.getByName("127.0.5." + i)).connect());
        }
        Thread.sleep(300);
        int open = 0;
        for (Socket sock : held) {
          open += open(sock) ? 1 : 0;
        }
        assertEquals(PER_CLIENT, open);
      } finally {
        for (Socket sock : held) {
          sock.close();
        }
      }
    }
  }

  /**
   * Clients from many networks holding the global cap with a trickle of queries cannot keep a
   * newcomer out: the idlest connection makes room.
   */
  @Test
  void atTheGlobalCapTheIdlestConnectionMakesRoom() throws Exception {
    try (TestServer s = start("5s")) {
      List<Socket> held = new ArrayList<>();
      try {
        for (int net = 1; net <= 5; net++) { // 5 networks x 20 = the global cap of 100
          DnsClient c = s.client().from(InetAddress.getByName("127.0." + (10 + net) + ".1"));
          for (int i = 0; i < PER_CLIENT; i++) {
            held.add(c.connect());
          }
        }
        // One query on each, in order, proves every connection was accepted (a connect returns
        // when the kernel completes the handshake, before the server accepts) and orders their
        // activity; then the first is made the most recently active.
        for (Socket sock : held) {
          sock.setSoTimeout(5000);
          DnsClient.writeFrame(sock, DnsClient.query("www.example.test.", Type.A).toWire());
          DnsClient.readFrame(sock);
        }
        Socket first = held.get(0);
        DnsClient.writeFrame(first, DnsClient.query("www.example.test.", Type.A).toWire());
        DnsClient.readFrame(first);
        DnsClient newcomer = s.client().from(InetAddress.getByName("127.0.99.1"));
        assertEquals(Rcode.NOERROR, newcomer.tcp("www.example.test.", Type.A).getRcode());
        assertEquals(true, open(first), "the active connection was closed");
        assertEquals(false, open(held.get(1)), "the idlest connection was kept");
      } finally {
        for (Socket sock : held) {
          sock.close();
        }
      }
    }
  }

  @Test
  void aQuerySentByteByByteIsCutAtTheReadDeadline() throws Exception {
    try (TestServer s = start("600ms"); Socket sock = s.client().connect()) {
      byte[] q = DnsClient.query("www.example.test.", Type.A).toWire();
      OutputStream out = sock.getOutputStream();
      out.write(q.length >> 8);
      out.write(q.length);
      long t0 = System.nanoTime();
      boolean cut = false;
      for (int i = 0; i < q.length && !cut; i++) {
        try {
          out.write(q[i]); // each byte resets the idle timeout, never the read deadline
          out.flush();
          Thread.sleep(100);
        } catch (IOException closed) {
          cut = true;
        }
        cut = cut || !open(sock);
      }
      long millis = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(cut, "still open after the whole query trickled in");
      assertTrue(millis >= 500 && millis < 3000, "cut after " + millis + " ms");
    }
  }

  @Test
  void pipelinedQueriesArriveInPiecesWithinTheDeadline() throws Exception {
    try (TestServer s = start("600ms"); Socket sock = s.client().connect()) {
      sock.setSoTimeout(2000);
      byte[] q = DnsClient.query("www.example.test.", Type.A).toWire();
      // Ten queries, each sent in two halves 200 ms apart: slower in total than the deadline,
      // but every single query completes within it.
      for (int i = 0; i < 10; i++) {
        OutputStream out = sock.getOutputStream();
        out.write(new byte[] {(byte) (q.length >> 8), (byte) q.length});
        out.write(q, 0, 10);
        out.flush();
        Thread.sleep(200);
        out.write(q, 10, q.length - 10);
        out.flush();
        assertEquals(Rcode.NOERROR, new Message(DnsClient.readFrame(sock)).getRcode());
      }
    }
  }

  private static byte[] frames(String name, int count) {
    byte[] q = DnsClient.query(name, Type.A).toWire();
    byte[] frames = new byte[count * (2 + q.length)];
    for (int i = 0; i < count; i++) {
      int at = i * (2 + q.length);
      frames[at] = (byte) (q.length >> 8);
      frames[at + 1] = (byte) q.length;
      System.arraycopy(q, 0, frames, at + 2, q.length);
    }
    return frames;
  }

  private static long directMemoryInUse() {
    return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric()
        .usedDirectMemory();
  }

  /**
   * The red-team attack: 60 KB of pipelined queries for a 64 KB answer in one write, never read.
   * Without back-pressure per frame every query was answered into the outbound buffer (over 100 MB
   * for this one connection); the bound is the high water mark plus one answer.
   */
  @Test
  void pipelinedQueriesInOneWriteQueueAtMostTheMarkPlusOneAnswer() throws Exception {
    try (TestServer s = start("5s")) {
      assertTrue(s.client().tcp("biggest.example.test.", Type.A).toWire().length > 60_000);
      byte[] attack = frames("biggest.example.test.", 1500); // about 60 KB
      long before = directMemoryInUse();
      List<Socket> attackers = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          Socket sock = s.client().connect();
          sock.setReceiveBufferSize(4096);
          sock.getOutputStream().write(attack);
          attackers.add(sock);
        }
        Thread.sleep(1500);
        long held = directMemoryInUse() - before;
        // Per connection: 256 KiB mark + 64 KiB answer, plus the allocator's chunk granularity.
        assertTrue(held < 8L << 20, "4 connections hold " + (held >> 20) + " MiB of answers");
        assertEquals(Rcode.NOERROR, s.client().tcp("www.example.test.", Type.A).getRcode());
      } finally {
        for (Socket sock : attackers) {
          sock.close();
        }
      }
    }
  }

  /** Held-back queries are answered, in order, once the peer reads: nothing is lost. */
  @Test
  void heldBackQueriesAreAnsweredWhenThePeerReads() throws Exception {
    try (TestServer s = start("5s"); Socket sock = s.client().connect()) {
      sock.setSoTimeout(5000);
      sock.getOutputStream().write(frames("huge.example.test.", 150)); // 150 x 16 KB answers
      Thread.sleep(500); // the server fills the mark and holds the rest back
      for (int i = 0; i < 150; i++) {
        Message m = new Message(DnsClient.readFrame(sock));
        assertEquals(1000, m.getSection(org.xbill.DNS.Section.ANSWER).size(), "answer " + i);
      }
      assertEquals(Rcode.NOERROR, new Message(DnsClient.readFrame(writeOne(sock))).getRcode());
    }
  }

  private static Socket writeOne(Socket sock) throws IOException {
    DnsClient.writeFrame(sock, DnsClient.query("www.example.test.", Type.A).toWire());
    return sock;
  }

  @Test
  void aPeerThatNeverReadsItsAnswersStopsBeingRead() throws Exception {
    try (TestServer s = start("5s"); Socket sock = s.client().connect()) {
      byte[] q = DnsClient.query("huge.example.test.", Type.A).toWire();
      byte[] frame = new byte[2 + q.length];
      frame[0] = (byte) (q.length >> 8);
      frame[1] = (byte) q.length;
      System.arraycopy(q, 0, frame, 2, q.length);
      AtomicLong written = new AtomicLong();
      Thread writer = new Thread(() -> {
        try {
          OutputStream out = sock.getOutputStream();
          while (true) {
            out.write(frame); // never reads: 16 KB of answer queue up per query
            written.addAndGet(frame.length);
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      writer.setDaemon(true);
      writer.start();
      // Once answers pass the high water mark the server stops reading, the kernel buffers
      // fill (autotuning grows them for a while, slower on a loaded machine), and the writer
      // blocks: no more queries taken, no more answers queued. A server that kept reading
      // would never let it block.
      long deadline = System.nanoTime() + 15_000_000_000L;
      long before = -1;
      while (before != written.get()) {
        assertTrue(System.nanoTime() < deadline, "the server kept reading queries: "
            + written.get() + " bytes written");
        before = written.get();
        Thread.sleep(1000);
      }
      Thread.sleep(3000); // loopback opens the window in 64 KB steps: give a reader time to show
      assertEquals(before, written.get(), "the server read queries again");
      assertEquals(Rcode.NOERROR, s.client().tcp("www.example.test.", Type.A).getRcode());
      sock.close();
      writer.join(2000);
    }
  }
}
