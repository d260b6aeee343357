package io.dnslb.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.DnsClient;
import io.dnslb.testing.TestServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Slow start on the real server: two HTTP backends on 127.0.0.x with equal weights, policy
 * weighted (one address per answer), {@code slow-start = 6s}. One backend is stopped until it
 * is down, then restarted; from its return, real UDP queries are counted in 1.5 s buckets.
 * Its share must follow w/(1+w) with w = 10% + 90% × elapsed/window (taken 250 ms late: the
 * selection is rebuilt every 500 ms), within 8 points per bucket, rising by at least 15
 * points from the first bucket to the last in the window, and be half (± 8) once the window
 * is over. Without slow start the first bucket would already be at half.
 */
class SlowStartE2ETest {
  static final String NAME = "www.e2e.test.";
  static final String STEADY = "127.0.0.71";
  static final String RAMPING = "127.0.0.72";
  static final long WINDOW = 6000;
  static final long BUCKET = 1500;
  static final double TOLERANCE = 0.08;
  static final java.util.regex.Pattern FULL = java.util.regex.Pattern.compile("\"ramp\":1\\.0[,}]");

  @TempDir Path dir;

  @Test
  void aMemberBackFromDownRampsItsShareOverTheWindow() throws Exception {
    int port = HttpBackend.freePort(STEADY);
    String pools = "pools {\n  web {\n    names = [\"" + NAME + "\"]\n    policy = weighted\n"
        + "    slow-start = " + WINDOW + "ms\n"
        + "    check { type = http, port = " + port + ", interval = 300ms, timeout = 250ms, rise = 1 }\n"
        + "    members = [{ address = \"" + STEADY + "\" }, { address = \"" + RAMPING + "\" }]\n"
        + "  }\n}\n";
    try (HttpBackend steady = HttpBackend.start(STEADY, port);
        HttpBackend ramping = HttpBackend.start(RAMPING, port);
        HttpBackend warmed = HealthE2ETest.warmed(steady, ramping);
        TestServer s = TestServer.in(dir).file("e2e.test.zone", HealthE2ETest.ZONE)
            .file("e2e.test.pools.conf", pools).set("http.listen", "127.0.0.1:0").start()) {
      Polling.until(System.nanoTime(), s, NAME, a -> a.contains(RAMPING), 20_000, "both up");
      // Members at a fresh start do not ramp, but one whose first (cold) probe failed came back
      // from down and does: the steady member must be at full weight before we start.
      long deadline = System.nanoTime() + 20_000_000_000L;
      String status = "";
      while (System.nanoTime() < deadline) {
        status = HealthE2ETest.get(s.server().httpAddress(), "/status");
        if (FULL.matcher(status).results().count() == 2) {
          break;
        }
        Thread.sleep(100);
      }
      assertEquals(2, FULL.matcher(status).results().count(), "both at full weight: " + status);
      ramping.stop();
      for (int q = 0; q < 500 && !"down".equals(AutoTtlE2ETest.health(s, "web", 1)); q++) {
        Thread.sleep(20);
      }
      assertEquals("down", AutoTtlE2ETest.health(s, "web", 1));
      ramping.restart();

      int buckets = (int) (WINDOW / BUCKET) + 2; // the window, then two buckets at full weight
      long[] asked = new long[buckets];
      long[] got = new long[buckets];
      double[] expected = new double[buckets];
      try (DatagramSocket socket = s.client().udpSocket()) {
        socket.setSoTimeout(1000);
        long t0 = -1;
        long end = System.nanoTime() + 20_000_000_000L; // until it is back, at most 20 s
        int id = 0;
        while (System.nanoTime() < end) {
          String a = ask(socket, s.client(), ++id & 0xFFFF);
          long now = System.nanoTime();
          if (a == null) {
            continue;
          }
          if (t0 < 0) {
            if (!a.equals(RAMPING)) {
              continue;
            }
            t0 = now; // its first answer: the ramp began a few milliseconds before
            end = t0 + buckets * BUCKET * 1_000_000L;
          }
          double elapsed = (now - t0) / 1e6;
          int b = (int) (elapsed / BUCKET);
          if (b >= buckets) {
            break;
          }
          asked[b]++;
          got[b] += a.equals(RAMPING) ? 1 : 0;
          double w = Math.min(1, 0.1 + 0.9 * Math.max(0, elapsed - 250) / WINDOW);
          expected[b] += w / (1 + w);
        }
      }
      assertTrue(asked[0] > 0, "the restarted member never came back");
      StringBuilder table = new StringBuilder("[slow-start] bucket: share measured / expected (answers)");
      double[] share = new double[buckets];
      for (int b = 0; b < buckets; b++) {
        assertTrue(asked[b] >= 100, "bucket " + b + " got only " + asked[b] + " answers");
        share[b] = (double) got[b] / asked[b];
        expected[b] /= asked[b];
        table.append(String.format("%n  %4.1f-%4.1f s: %5.1f%% / %5.1f%% (%d)", b * BUCKET / 1000.0,
            (b + 1) * BUCKET / 1000.0, 100 * share[b], 100 * expected[b], asked[b]));
      }
      System.out.println(table);
      for (int b = 0; b < buckets; b++) {
        assertEquals(expected[b], share[b], TOLERANCE, "bucket " + b + "\n" + table);
      }
      int lastInWindow = (int) (WINDOW / BUCKET) - 1;
      assertTrue(share[lastInWindow] - share[0] >= 0.15, "the share ramps up\n" + table);
      assertEquals(0.5, share[buckets - 1], TOLERANCE, "full weight after the window\n" + table);
    }
  }

  /** One UDP query; the single address of the answer, or null if the datagram was lost. */
  private static String ask(DatagramSocket socket, DnsClient client, int id) throws Exception {
    Message q = DnsClient.query(NAME, Type.A);
    q.getHeader().setID(id);
    byte[] wire = q.toWire();
    socket.send(new DatagramPacket(wire, wire.length, client.serverAddress()));
    byte[] buf = new byte[512];
    while (true) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
      } catch (SocketTimeoutException lost) {
        return null;
      }
      Message m = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
      if (m.getHeader().getID() != id) {
        continue; // a late answer to a query we gave up on
      }
      for (Record r : m.getSection(Section.ANSWER)) {
        if (r instanceof ARecord a) {
          return a.getAddress().getHostAddress();
        }
      }
      return null;
    }
  }
}
