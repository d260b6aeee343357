package io.dnslb.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.DnsClient;
import io.dnslb.testing.TestServer;
import io.dnslb.testing.TestZones;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** RRL end to end: over real UDP from 127.0.0.1 and 127.0.0.2, with TCP beside it. */
class RateLimitTest {
  private static final int RATE = 5;
  private static final int BURST = 40;

  @TempDir Path dir;

  private TestServer start(int slip) throws Exception {
    return TestServer.in(dir).file("example.test.zone", TestZones.EXAMPLE)
        .set("rrl.enabled", true).set("rrl.responses-per-second", RATE).set("rrl.slip", slip)
        .set("rrl.ipv4-prefix", 32) // 127.0.0.1 and 127.0.0.2 are two clients
        .start();
  }

  /** Whole answers, truncated answers and silences for a burst sent without waiting. */
  private record Outcome(int whole, int truncated, int silent) {}

  private static Outcome burst(DnsClient client) throws Exception {
    try (DatagramSocket s = client.udpSocket()) {
      // The burst ends with the first silence this long: generous, because on a busy 2-core
      // machine a reply can take hundreds of milliseconds and would otherwise count as dropped.
      // The first reply gets longer still: a fresh server on a machine at load 25 took over
      // 2 s to answer the first datagram of a burst, and the whole burst counted as silence.
      s.setSoTimeout(10_000);
      for (int i = 0; i < BURST; i++) {
        Message q = DnsClient.query("www.example.test.", Type.A);
        q.getHeader().setID(i);
        byte[] w = q.toWire();
        s.send(new DatagramPacket(w, w.length, client.serverAddress()));
      }
      int whole = 0;
      int truncated = 0;
      byte[] buf = new byte[4096];
      try {
        while (true) {
          DatagramPacket in = new DatagramPacket(buf, buf.length);
          s.receive(in);
          s.setSoTimeout(2000);
          Message m = new Message(Arrays.copyOf(buf, in.getLength()));
          if (m.getHeader().getFlag(Flags.TC)) {
            assertEquals(0, m.getSection(Section.ANSWER).size());
            truncated++;
          } else {
            assertEquals(2, m.getSection(Section.ANSWER).size());
            whole++;
          }
        }
      } catch (SocketTimeoutException done) {
        return new Outcome(whole, truncated, BURST - whole - truncated);
      }
    }
  }

  @Test
  void aBurstBeyondTheRateIsHalfDroppedHalfSlippedAndOthersAreUnaffected() throws Exception {
    try (TestServer s = start(2)) {
      Outcome flood = burst(s.client());
      // One second's worth passes (a little more if the burst took a while); of the rest, every
      // other response is truncated.
      assertTrue(flood.whole() >= RATE && flood.whole() <= RATE + 2, flood.toString());
      int limited = BURST - flood.whole();
      assertTrue(Math.abs(flood.truncated() - flood.silent()) <= 1, flood.toString());
      assertEquals(limited, s.server().rateLimiter().dropped() + s.server().rateLimiter().slipped());

      DnsClient other = s.client().from(InetAddress.getByName("127.0.0.2"));
      assertEquals(Rcode.NOERROR, other.udp("www.example.test.", Type.A).getRcode());
      Message overTcp = s.client().tcp("www.example.test.", Type.A);
      assertEquals(2, overTcp.getSection(Section.ANSWER).size(), "TCP is never limited");
    }
  }

  @Test
  void slipZeroDropsEverythingOverTheRate() throws Exception {
    try (TestServer s = start(0)) {
      Outcome flood = burst(s.client());
      assertEquals(0, flood.truncated());
      assertTrue(flood.silent() >= BURST - RATE - 2, flood.toString());
    }
  }

  @Test
  void slipOneTruncatesEverythingOverTheRate() throws Exception {
    try (TestServer s = start(1)) {
      Outcome flood = burst(s.client());
      assertEquals(0, flood.silent());
      assertTrue(flood.truncated() >= BURST - RATE - 2, flood.toString());
    }
  }
}
