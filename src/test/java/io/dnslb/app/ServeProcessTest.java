package io.dnslb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dnslb.testing.DnsClient;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** `dnslb serve` as a real process: SIGHUP reloads, SIGTERM answers what is in flight and exits 0. */
class ServeProcessTest {
  @TempDir Path dir;

  static int freePort() throws IOException {
    for (int i = 0; i < 20; i++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
        int p = tcp.getLocalPort();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", p))) {
          return p;
        } catch (IOException taken) {
          // try another
        }
      }
    }
    throw new IOException("no free port");
  }

  static void signal(Process p, String sig) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start();
    assertEquals(0, kill.waitFor(), "kill -" + sig);
  }

  /** Sends n queries without waiting, optionally TERMs, returns how many were answered. */
  static int burst(int port, int n, boolean unused) throws Exception {
    Set<Integer> answered = new HashSet<>();
    try (DatagramSocket sock = new DatagramSocket()) {
      InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
      for (int i = 0; i < n; i++) {
        Message q = DnsClient.query("v.a.test.", Type.TXT);
        q.getHeader().setID(i);
        byte[] w = q.toWire();
        sock.send(new DatagramPacket(w, w.length, server));
      }
      sock.setSoTimeout(1000);
      byte[] buf = new byte[4096];
      try {
        while (answered.size() < n) {
          DatagramPacket in = new DatagramPacket(buf, buf.length);
          sock.receive(in);
          answered.add(new Message(java.util.Arrays.copyOf(buf, in.getLength())).getHeader().getID());
        }
      } catch (SocketTimeoutException e) {
        // counted below
      }
    }
    return answered.size();
  }

  @Test
  void sighupReloadsAndSigtermAnswersInFlightQueriesThenExitsZero() throws Exception {
    Path zones = Files.createDirectories(dir.resolve("zones"));
    Files.writeString(zones.resolve("a.test.zone"), ReloadE2ETest.zone("a.test.", "v IN TXT \"one\"\n"));
    int port = freePort();
    Path log = dir.resolve("serve.log");
    Process p = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Ddnslb.reload.watch=false",
        "-cp", System.getProperty("java.class.path"), "io.dnslb.Main",
        "serve", "--zones", zones.toString(), "--dns", "127.0.0.1:" + port, "--http", "off"))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      DnsClient c = new DnsClient(new InetSocketAddress("127.0.0.1", port));
      long deadline = System.nanoTime() + 20_000_000_000L;
      String first = null;
      while (first == null) {
        if (!p.isAlive()) {
          fail("serve exited " + p.exitValue() + ":\n" + Files.readString(log));
        }
        if (System.nanoTime() > deadline) {
          fail("serve did not answer within 20 s:\n" + Files.readString(log));
        }
        byte[] r = c.udpRaw(DnsClient.query("v.a.test.", Type.TXT).toWire());
        if (r != null) {
          first = ReloadE2ETest.answers(new Message(r)).toString();
        } else {
          Thread.sleep(100);
        }
      }
      assertEquals("[one]", first);

      Files.writeString(zones.resolve("a.test.zone"), ReloadE2ETest.zone("a.test.", "v IN TXT \"two\"\n"));
      Thread.sleep(800); // the watch is off: nothing changes without the signal
      assertEquals("one", ReloadE2ETest.txt(c, "v.a.test."));
      long t0 = System.nanoTime();
      signal(p, "HUP");
      ReloadE2ETest.within(3000, ReloadE2ETest.txtOf(c, "v.a.test."), "two"::equals,
          "SIGHUP reload served");
      System.out.println("[e2e] SIGHUP to new answer: " + (System.nanoTime() - t0) / 1_000_000 + " ms");

      assertEquals(100, burst(port, 100, false), "control: a burst without TERM is all answered");

      // A burst of queries, then TERM at once: every one of them is answered.
      int burst = 200;
      Set<Integer> ids = new HashSet<>();
      Set<Integer> answered = new HashSet<>();
      try (DatagramSocket sock = new DatagramSocket()) {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
        for (int i = 0; i < burst; i++) {
          Message q = DnsClient.query("v.a.test.", Type.TXT);
          q.getHeader().setID(i);
          ids.add(i);
          byte[] w = q.toWire();
          sock.send(new DatagramPacket(w, w.length, server));
        }
        long term = System.nanoTime();
        signal(p, "TERM");
        sock.setSoTimeout(2000);
        byte[] buf = new byte[4096];
        try {
          while (answered.size() < burst) {
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            sock.receive(in);
            Message r = new Message(java.util.Arrays.copyOf(buf, in.getLength()));
            assertEquals(Rcode.NOERROR, r.getRcode());
            assertEquals(List.of("two"), ReloadE2ETest.answers(r));
            answered.add(r.getHeader().getID());
          }
        } catch (SocketTimeoutException e) {
          // reported below
        }
        assertEquals(ids, answered, "in-flight queries answered before the stop");
        assertTrue(p.waitFor(5, TimeUnit.SECONDS), "serve still running 5 s after SIGTERM:\n"
            + Files.readString(log));
        System.out.println("[e2e] SIGTERM to exit: " + (System.nanoTime() - term) / 1_000_000 + " ms");
        assertEquals(0, p.exitValue(), Files.readString(log));
      }
    } finally {
      p.destroyForcibly();
    }
  }
}
