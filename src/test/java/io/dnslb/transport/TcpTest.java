package io.dnslb.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.DnsClient;
import io.dnslb.testing.TestServer;
import io.dnslb.testing.TestZones;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** RFC 7766: framing, pipelining, idle timeout, connection cap, large messages. */
class TcpTest {
  @TempDir Path dir;

  private TestServer start(String idle, int max) throws Exception {
    StringBuilder zone = new StringBuilder(TestZones.EXAMPLE);
    // 1,000 A records at one name: about 16 KB, more than any UDP answer may carry.
    for (int i = 0; i < 1000; i++) {
      zone.append("huge A 10.0.").append(i / 250).append('.').append(i % 250).append('\n');
    }
    return TestServer.in(dir).file("example.test.zone", zone.toString())
        .set("dns.tcp.idle-timeout", idle).set("dns.tcp.max-connections", max).start();
  }

  /** 1 when the server has closed the connection (EOF or reset within a second), else 0. */
  private static int closed(Socket s) throws IOException {
    s.setSoTimeout(1000);
    try {
      return s.getInputStream().read() == -1 ? 1 : 0;
    } catch (java.net.SocketTimeoutException open) {
      return 0;
    } catch (IOException reset) {
      return 1;
    }
  }

  @Test
  void pipelinedQueriesOnOneConnectionAreAllAnswered() throws Exception {
    try (TestServer s = start("10s", 100); Socket sock = new Socket()) {
      sock.connect(s.address());
      sock.setSoTimeout(2000);
      // All queries in one write: the server must split the stream by length prefix.
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(buf);
      String[] names = {"www.example.test.", "mail.example.test.", "nope.example.test."};
      for (int i = 0; i < names.length; i++) {
        Message q = DnsClient.query(names[i], Type.A);
        q.getHeader().setID(100 + i);
        byte[] w = q.toWire();
        out.writeShort(w.length);
        out.write(w);
      }
      sock.getOutputStream().write(buf.toByteArray());
      for (int i = 0; i < names.length; i++) {
        Message r = new Message(DnsClient.readFrame(sock));
        assertEquals(100 + i, r.getHeader().getID());
        assertEquals(i == 2 ? Rcode.NXDOMAIN : Rcode.NOERROR, r.getRcode());
      }
    }
  }

  @Test
  void largeAnswersComeWholeOverTcp() throws Exception {
    try (TestServer s = start("10s", 100)) {
      Message m = s.client().tcp("huge.example.test.", Type.A);
      assertEquals(1000, m.getSection(Section.ANSWER).size());
    }
  }

  @Test
  void idleConnectionsAreClosed() throws Exception {
    try (TestServer s = start("300ms", 100); Socket sock = new Socket()) {
      sock.connect(s.address());
      sock.setSoTimeout(3000);
      long t0 = System.nanoTime();
      assertEquals(-1, sock.getInputStream().read(), "server closed the connection");
      assertTrue(System.nanoTime() - t0 < 2_500_000_000L);
    }
  }

  @Test
  void aConnectionBeyondTheCapClosesTheIdlestAndUdpStillAnswers() throws Exception {
    try (TestServer s = start("10s", 3)) {
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          Socket sock = new Socket();
          sock.connect(s.address());
          held.add(sock);
        }
        // Let the server register the three before the fourth arrives.
        DnsClient.writeFrame(held.get(2), DnsClient.query("www.example.test.", Type.A).toWire());
        DnsClient.readFrame(held.get(2));
        try (Socket extra = new Socket()) {
          extra.connect(s.address());
          extra.setSoTimeout(2000);
          DnsClient.writeFrame(extra, DnsClient.query("www.example.test.", Type.A).toWire());
          DnsClient.readFrame(extra);
        }
        // One of the two that never asked made room for it; the one that asked is still open.
        assertEquals(1, closed(held.get(0)) + closed(held.get(1)));
        assertEquals(0, closed(held.get(2)));
        assertEquals(Rcode.NOERROR, s.client().udp("www.example.test.", Type.A).getRcode());
      } finally {
        for (Socket sock : held) {
          sock.close();
        }
      }
      // Once they are gone, TCP serves again.
      Thread.sleep(200);
      assertEquals(Rcode.NOERROR, s.client().tcp("www.example.test.", Type.A).getRcode());
    }
  }

  @Test
  void garbageOnAConnectionClosesOnlyThatConnection() throws Exception {
    try (TestServer s = start("10s", 100); Socket sock = new Socket()) {
      sock.connect(s.address());
      sock.setSoTimeout(2000);
      DnsClient.writeFrame(sock, new byte[] {1, 2, 3});
      assertThrows(EOFException.class, () -> DnsClient.readFrame(sock));
      assertEquals(Rcode.NOERROR, s.client().tcp("www.example.test.", Type.A).getRcode());
    }
  }
}
