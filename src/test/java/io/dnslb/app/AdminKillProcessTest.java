package io.dnslb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dnslb.testing.LoopbackPorts;
import io.dnslb.testing.DnsClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One server, no etcd, as a real process: a drain through the API holds for 10,000 queries from
 * one second later, and survives {@code kill -9} through the state file.
 */
class AdminKillProcessTest {
  @TempDir Path dir;

  Process serve(Path zones, int dns, int http, Path log) throws Exception {
    return new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Ddnslb.reload.watch=false",
        "-cp", System.getProperty("java.class.path"), "io.dnslb.Main",
        "serve", "--zones", zones.toString(), "--dns", "127.0.0.1:" + dns,
        "--http", "127.0.0.1:" + http))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  static Set<String> served(DnsClient c, int n) throws Exception {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      Message m = c.udp("www.pool.test.", Type.A);
      for (Record r : m.getSection(Section.ANSWER)) {
        seen.add(((ARecord) r).getAddress().getHostAddress());
      }
    }
    return seen;
  }

  static void awaitAnswers(Process p, DnsClient c, Path log) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (c.udpRaw(DnsClient.query("www.pool.test.", Type.A).toWire()) == null) {
      if (!p.isAlive()) {
        fail("serve exited " + p.exitValue() + ":\n" + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        fail("serve did not answer within 20 s:\n" + Files.readString(log));
      }
      Thread.sleep(100);
    }
  }

  @Test
  void aDrainHoldsForTenThousandQueriesAndSurvivesKillMinus9() throws Exception {
    Path zones = Files.createDirectories(dir.resolve("zones"));
    Files.writeString(zones.resolve("pool.test.zone"), AdminApiE2ETest.ZONE);
    Files.writeString(zones.resolve("pool.test.pools.conf"), AdminApiE2ETest.POOLS);
    int dns = LoopbackPorts.freeUdpAndTcp();
    int http = LoopbackPorts.freeUdpAndTcp();
    Path log = dir.resolve("serve.log");
    DnsClient c = new DnsClient(new InetSocketAddress("127.0.0.1", dns));
    Process p = serve(zones, dns, http, log);
    try {
      long started = System.nanoTime();
      awaitAnswers(p, c, log);
      System.out.println("[admin] first answer after " + (System.nanoTime() - started) / 1_000_000 + " ms");
      HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + http + "/v1/pools/web/members/192.0.2.11"))
          .timeout(Duration.ofSeconds(10))
          .PUT(HttpRequest.BodyPublishers.ofString("{\"admin\":\"drain\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, put.statusCode(), put.body());
      Thread.sleep(1000);
      long t0 = System.nanoTime();
      try (java.net.DatagramSocket sock = new java.net.DatagramSocket()) {
        sock.connect(new InetSocketAddress("127.0.0.1", dns));
        sock.setSoTimeout(2000);
        byte[] buf = new byte[1500];
        for (int i = 0; i < 10_000; i++) {
          Message q = DnsClient.query("www.pool.test.", Type.A);
          q.getHeader().setID(i & 0xffff);
          byte[] w = q.toWire();
          sock.send(new java.net.DatagramPacket(w, w.length));
          java.net.DatagramPacket in = new java.net.DatagramPacket(buf, buf.length);
          sock.receive(in);
          Message m = new Message(java.util.Arrays.copyOf(buf, in.getLength()));
          assertEquals(i & 0xffff, m.getHeader().getID());
          assertEquals(2, m.getSection(Section.ANSWER).size(), "answer " + i);
          for (Record r : m.getSection(Section.ANSWER)) {
            assertTrue(!((ARecord) r).getAddress().getHostAddress().equals("192.0.2.11"),
                "drained member in answer " + i);
          }
        }
      }
      System.out.println("[admin] 10,000 queries without the drained member in "
          + (System.nanoTime() - t0) / 1_000_000 + " ms");
      ServeProcessTest.signal(p, "KILL");
      assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    } finally {
      p.destroyForcibly();
    }
    // new ports: the point is the state file, not how soon the kernel frees the killed one's
    dns = LoopbackPorts.freeUdpAndTcp();
    c = new DnsClient(new InetSocketAddress("127.0.0.1", dns));
    Process again = serve(zones, dns, LoopbackPorts.freeUdpAndTcp(), dir.resolve("serve2.log"));
    try {
      long started = System.nanoTime();
      awaitAnswers(again, c, dir.resolve("serve2.log"));
      System.out.println("[admin] restarted, first answer after " + (System.nanoTime() - started) / 1_000_000 + " ms");
      assertEquals(Set.of("192.0.2.10", "192.0.2.12"), served(c, 20),
          "the first answers after kill -9 and a restart");
      assertTrue(Files.readString(dir.resolve("serve2.log")).contains("1 runtime override(s) from"));
    } finally {
      again.destroyForcibly();
    }
  }
}
