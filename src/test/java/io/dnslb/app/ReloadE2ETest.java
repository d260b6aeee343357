package io.dnslb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import io.dnslb.testing.DnsClient;
import io.dnslb.testing.TestServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** Reload end to end: the directory watcher, bad edits, atomicity under load, health kept. */
class ReloadE2ETest {
  @TempDir Path dir;

  static String zone(String origin, String body) {
    return "$ORIGIN " + origin + "\n$TTL 60\n@ IN SOA ns1 hostmaster 1 3600 600 604800 60\n"
        + "  IN NS ns1\nns1 IN A 192.0.2.1\n" + body;
  }

  static String pools(String member, String check) {
    return "pools {\n  web {\n    names = [\"www.a.test.\"]\n    policy = round-robin\n"
        + (check == null ? "" : "    check { " + check + " }\n")
        + "    members = [ " + member + " ]\n  }\n}\n";
  }

  /** Replaces a file in one rename, as editors and config managers do. */
  static void write(Path file, String text) throws Exception {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static List<String> answers(Message m) {
    List<String> out = new ArrayList<>();
    for (Record r : m.getSection(Section.ANSWER)) {
      if (r instanceof ARecord a) {
        out.add(a.getAddress().getHostAddress());
      } else if (r instanceof TXTRecord t) {
        out.add(String.join("", t.getStrings()));
      }
    }
    out.sort(null);
    return out;
  }

  static String txt(DnsClient c, String name) throws Exception {
    Message m = c.udp(name, Type.TXT);
    return m.getRcode() == Rcode.NOERROR ? String.join(",", answers(m)) : Rcode.string(m.getRcode());
  }

  static <T> long within(long boundMs, Supplier<T> probe, Predicate<T> ok, String what)
      throws Exception {
    long t0 = System.nanoTime();
    T last = null;
    while (System.nanoTime() - t0 < boundMs * 1_000_000L) {
      last = probe.get();
      if (ok.test(last)) {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("[e2e] " + what + " after " + ms + " ms");
        return ms;
      }
      Thread.sleep(20);
    }
    fail(what + " did not happen within " + boundMs + " ms; last: " + last);
    return -1;
  }

  static Supplier<String> txtOf(DnsClient c, String name) {
    return () -> {
      try {
        return txt(c, name);
      } catch (Exception e) {
        return e.toString();
      }
    };
  }

  @Test
  void theWatcherLoadsZoneAndPoolEditsAndNewRenamedAndDeletedFiles() throws Exception {
    try (TestServer s = TestServer.in(dir)
        .file("a.test.zone", zone("a.test.", "v IN TXT \"one\"\n"))
        .file("a.test.pools.conf", pools("{ address = \"192.0.2.10\" }", null))
        .start()) {
      DnsClient c = s.client();
      assertEquals("one", txt(c, "v.a.test."));
      write(dir.resolve("a.test.zone"), zone("a.test.", "v IN TXT \"two\"\n"));
      within(2000, txtOf(c, "v.a.test."), "two"::equals, "zone edit served");

      write(dir.resolve("a.test.pools.conf"), pools("{ address = \"192.0.2.11\" }", null));
      within(2000, () -> {
        try {
          return answers(c.udp("www.a.test.", Type.A));
        } catch (Exception e) {
          return List.of(e.toString());
        }
      }, List.of("192.0.2.11")::equals, "pool edit served");

      assertEquals("REFUSED", txt(c, "v.b.test."));
      Files.writeString(dir.resolve("b.test.zone"), zone("b.test.", "v IN TXT \"bee\"\n"));
      within(2000, txtOf(c, "v.b.test."), "bee"::equals, "new zone file served");

      Files.move(dir.resolve("b.test.zone"), dir.resolve("b.test.zone.disabled"));
      within(2000, txtOf(c, "v.b.test."), "REFUSED"::equals, "zone renamed away is gone");
      Files.move(dir.resolve("b.test.zone.disabled"), dir.resolve("bee.zone"));
      within(2000, txtOf(c, "v.b.test."), "bee"::equals, "zone renamed back is served");

      Files.delete(dir.resolve("bee.zone"));
      within(2000, txtOf(c, "v.b.test."), "REFUSED"::equals, "deleted zone is gone");
      assertEquals("two", txt(c, "v.a.test."));
      assertTrue(s.server().lastReload().ok());
    }
  }

  @Test
  void aBadEditIsKeptOutReportedAndTheNextGoodEditLoads() throws Exception {
    try (TestServer s = TestServer.in(dir)
        .file("a.test.zone", zone("a.test.", "v IN TXT \"one\"\n"))
        .set("http.listen", "127.0.0.1:0")
        .start()) {
      DnsClient c = s.client();
      Server server = s.server();
      ReloadStatus before = server.lastReload();
      // line 7: an A record with a bad address
      write(dir.resolve("a.test.zone"), zone("a.test.", "v IN TXT \"two\"\nbad IN A 300.1.2.3\n"));
      within(2000, server::lastReload, r -> r != before && !r.ok(), "bad edit reported");
      String error = server.lastReload().error();
      assertNotNull(error);
      assertTrue(error.matches("(?s).*a\\.test\\.zone:7: .+"), error);
      assertEquals("one", txt(c, "v.a.test."));
      String metrics = server.metrics().render();
      assertTrue(metrics.contains("dnslb_config_reloads_total{result=\"failed\"} 1"), metrics);
      assertTrue(metrics.contains("dnslb_config_reloads_total{result=\"ok\"} 0"), metrics);
      String status = httpGet(server, "/status");
      assertTrue(status.contains("\"ok\":false") && status.contains("a.test.zone:7: "), status);
      for (int i = 0; i < 10; i++) { // old data keeps serving
        assertEquals("one", txt(c, "v.a.test."));
        Thread.sleep(20);
      }

      write(dir.resolve("a.test.zone"), zone("a.test.", "v IN TXT \"three\"\n"));
      within(2000, txtOf(c, "v.a.test."), "three"::equals, "good edit after a bad one served");
      within(1000, server::lastReload, ReloadStatus::ok, "status ok again");
      assertTrue(httpGet(server, "/status").contains("\"ok\":true,\"error\":null"));
      assertTrue(server.metrics().render().contains("dnslb_config_reloads_total{result=\"ok\"} 1"));
    }
  }

  static String version(int v) {
    return zone("a.test.", "v IN A 10.0." + v + ".1\nv IN A 10.0." + v + ".2\nv IN A 10.0." + v
        + ".3\nv IN TXT \"" + v + "-a\"\nv IN TXT \"" + v + "-b\"\n");
  }

  static List<String> expected(int v, boolean txt) {
    return txt ? List.of(v + "-a", v + "-b")
        : List.of("10.0." + v + ".1", "10.0." + v + ".2", "10.0." + v + ".3");
  }

  @Test
  void queriesUnderLoadSeeOneWholeVersionAcrossManyReloads() throws Exception {
    try (TestServer s = TestServer.in(dir).file("a.test.zone", version(1))
        .set("reload.debounce", "20ms").start()) {
      int threads = 3;
      int perThread = 7000;
      AtomicLong timeouts = new AtomicLong();
      AtomicLong servfail = new AtomicLong();
      AtomicInteger[] seen = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
      ConcurrentLinkedQueue<String> bad = new ConcurrentLinkedQueue<>();
      AtomicBoolean done = new AtomicBoolean();
      AtomicLong sent = new AtomicLong();
      List<Thread> clients = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread th = new Thread(() -> {
          try (DatagramSocket sock = new DatagramSocket()) {
            sock.setSoTimeout(1000);
            byte[] buf = new byte[4096];
            for (int i = 0; i < perThread || !done.get(); i++) {
              sent.incrementAndGet();
              boolean txt = (i & 1) == 1;
              Message q = DnsClient.query("v.a.test.", txt ? Type.TXT : Type.A);
              byte[] wire = q.toWire();
              sock.send(new DatagramPacket(wire, wire.length, s.address()));
              DatagramPacket in = new DatagramPacket(buf, buf.length);
              try {
                Message r;
                do {
                  sock.receive(in);
                  r = new Message(java.util.Arrays.copyOf(buf, in.getLength()));
                } while (r.getHeader().getID() != q.getHeader().getID());
                if (r.getRcode() == Rcode.SERVFAIL) {
                  servfail.incrementAndGet();
                  continue;
                }
                List<String> got = answers(r);
                if (got.equals(expected(1, txt))) {
                  seen[1].incrementAndGet();
                } else if (got.equals(expected(2, txt))) {
                  seen[2].incrementAndGet();
                } else {
                  bad.add(Rcode.string(r.getRcode()) + " " + got);
                }
              } catch (SocketTimeoutException e) {
                timeouts.incrementAndGet();
              }
            }
          } catch (Exception e) {
            bad.add(e.toString());
          }
        });
        th.start();
        clients.add(th);
      }
      int rewrites = 0;
      long reloadsBefore = okReloads(s.server());
      while (rewrites < 24) { // the clients keep querying until every rewrite has been reloaded
        rewrites++;
        write(dir.resolve("a.test.zone"), version(rewrites % 2 == 1 ? 2 : 1));
        Thread.sleep(100);
      }
      Thread.sleep(300);
      done.set(true);
      for (Thread th : clients) {
        th.join(60_000);
      }
      long reloads = okReloads(s.server()) - reloadsBefore;
      System.out.println("[e2e] atomicity: " + sent + " queries, " + rewrites
          + " rewrites, " + reloads + " reloads, v1=" + seen[1] + " v2=" + seen[2]);
      assertTrue(reloads >= 20, "only " + reloads + " reloads");
      assertEquals(0, timeouts.get(), "timeouts");
      assertEquals(0, servfail.get(), "SERVFAIL");
      assertTrue(bad.isEmpty(), "mixed or missing answers: " + bad.stream().limit(5).toList());
      assertTrue(sent.get() >= threads * perThread);
      assertEquals(sent.get(), seen[1].get() + seen[2].get());
      assertTrue(seen[1].get() > 0 && seen[2].get() > 0);
    }
  }

  static long okReloads(Server s) {
    var m = java.util.regex.Pattern.compile("dnslb_config_reloads_total\\{result=\"ok\"\\} (\\d+)")
        .matcher(s.metrics().render());
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  @Test
  void healthSurvivesAnUnrelatedReloadAndAChangedCheckMakesANewMember() throws Exception {
    HttpServer up = HttpServer.create(new InetSocketAddress("127.0.0.52", 0), 16);
    up.createContext("/", ex -> {
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    up.start();
    int port = up.getAddress().getPort(); // nothing listens on 127.0.0.51:port
    String check = "type = http, port = " + port + ", path = \"/\", interval = 500ms, timeout = 300ms,"
        + " rise = 2, fall = 2";
    String members = "{ address = \"127.0.0.51\" }, { address = \"127.0.0.52\" }";
    try (TestServer s = TestServer.in(dir)
        .file("a.test.zone", zone("a.test.", "v IN TXT \"one\"\n"))
        .file("a.test.pools.conf", pools(members, check))
        .start()) {
      DnsClient c = s.client();
      Supplier<List<String>> www = () -> {
        try {
          return answers(c.udp("www.a.test.", Type.A));
        } catch (Exception e) {
          return List.of(e.toString());
        }
      };
      within(2000, www, List.of("127.0.0.52")::equals, ".51 down");
      ReloadStatus before = s.server().lastReload();
      write(dir.resolve("a.test.zone"), zone("a.test.", "v IN TXT \"two\"\n"));
      long end = System.nanoTime() + 3_000_000_000L;
      boolean reloaded = false;
      while (System.nanoTime() < end) { // through the reload and well after it
        assertEquals(List.of("127.0.0.52"), www.get());
        reloaded |= s.server().lastReload() != before;
        Thread.sleep(10);
      }
      assertTrue(reloaded, "the unrelated edit was not reloaded");
      assertEquals("two", txt(c, "v.a.test."));

      // Same address, a different check (none): a new member, not the old down one.
      write(dir.resolve("a.test.pools.conf"), pools("{ address = \"127.0.0.51\", check { type = none } },"
          + " { address = \"127.0.0.52\" }", check));
      within(2000, www, List.of("127.0.0.51", "127.0.0.52")::equals, "re-checked member up");
    } finally {
      up.stop(0);
    }
  }

  private static String httpGet(Server server, String path) throws Exception {
    java.net.InetSocketAddress a = server.httpAddress();
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
            "http://127.0.0.1:" + a.getPort() + path)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    return r.body();
  }
}
