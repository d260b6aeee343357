package io.dnslb.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dnslb.health.check.TestBackend;
import io.dnslb.health.check.TestCerts;
import io.dnslb.observe.http.StatusClient;
import io.dnslb.testing.TestServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Health at the DNS level: real HTTP(S) backends on 127.0.0.x, the real server, and deadlines
 * derived from the check timings (interval 500ms, timeout 300ms, rise 2, fall 2).
 */
class HealthE2ETest {
  static final long INTERVAL = 500;
  static final long TIMEOUT = 300;
  static final int RISE = 2;
  static final int FALL = 2;
  static final long DOWN_BOUND = INTERVAL * FALL + TIMEOUT + 1000;
  static final long UP_BOUND = INTERVAL * RISE + 1000;
  static final String NAME = "www.e2e.test.";
  static final String ZONE = """
      $ORIGIN e2e.test.
      $TTL 60
      @ IN SOA ns1 hostmaster 1 3600 600 604800 60
        IN NS ns1
      ns1 IN A 192.0.2.1
      """;

  @TempDir Path dir;

  static String pool(String name, String check, String extra, String... members) {
    return "pools {\n" + block(name, NAME, check, extra, members) + "}\n";
  }

  static String block(String name, String owner, String check, String extra, String... members) {
    StringBuilder b = new StringBuilder("  " + name + " {\n    names = [\"" + owner + "\"]\n"
        + "    policy = round-robin\n    " + extra + "\n    check { " + check
        + ", interval = " + INTERVAL + "ms, timeout = " + TIMEOUT + "ms, rise = " + RISE
        + ", fall = " + FALL + " }\n    members = [\n");
    for (String m : members) {
      b.append("      { address = \"").append(m).append("\" }\n");
    }
    return b.append("    ]\n  }\n").toString();
  }

  /** Polls DNS every 50 ms until the answer satisfies the condition; returns elapsed ms. */
  static long until(TestServer s, String name, Predicate<Set<String>> ok, long boundMs, String what)
      throws Exception {
    return until(System.nanoTime(), s, name, ok, boundMs, what);
  }

  /** As above, measuring from t0 (taken before the change: stopping a JDK HttpServer is slow). */
  static long until(long t0, TestServer s, String name, Predicate<Set<String>> ok, long boundMs,
      String what) throws Exception {
    long hardStop = t0 + (boundMs + 5000) * 1_000_000L; // keep polling past the bound to report
    Set<String> last = null;
    while (System.nanoTime() < hardStop) {
      last = Dns.a(s.client(), name, true);
      if (ok.test(last)) {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("[e2e] " + what + " after " + ms + " ms (bound " + boundMs + " ms)");
        assertTrue(ms <= boundMs, what + " took " + ms + " ms, bound " + boundMs + " ms");
        return ms;
      }
      Thread.sleep(50);
    }
    fail(what + " never happened within " + (boundMs + 5000) + " ms; last answer " + last);
    return -1;
  }

  /** One request to each backend first, so that a cold JDK HTTP server does not miss a probe. */
  static void warm(HttpBackend... backends) throws Exception {
    for (HttpBackend b : backends) {
      HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://" + b.address + ":" + b.boundPort() + "/")).build(),
          HttpResponse.BodyHandlers.discarding());
    }
  }

  /** warm(), usable inside a try-with-resources header; returns null (closing null is a no-op). */
  static HttpBackend warmed(HttpBackend... backends) throws Exception {
    warm(backends);
    return null;
  }

  static String get(InetSocketAddress http, String path) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + http.getPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path);
    return r.body();
  }

  static String statusCommand(InetSocketAddress http) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int rc;
    synchronized (System.class) {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      try {
        rc = StatusClient.show("127.0.0.1:" + http.getPort(), false, System.out, System.err, false);
      } finally {
        System.setOut(old);
      }
    }
    assertEquals(0, rc);
    return buf.toString(StandardCharsets.UTF_8);
  }

  static String rowFor(String table, String address) {
    return table.lines().filter(l -> l.contains(address + " ") || l.endsWith(address))
        .findFirst().orElseThrow(() -> new AssertionError("no row for " + address + " in\n" + table));
  }

  static double metric(String metrics, String regex) {
    var m = Pattern.compile("^" + regex + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  @Test
  void stoppedBackendLeavesAndReturnsWithinTheBoundsAndObservabilityShowsIt() throws Exception {
    try (HttpBackend b1 = HttpBackend.start("127.0.0.11", 0)) {
      int port = b1.boundPort();
      try (HttpBackend b2 = HttpBackend.start("127.0.0.12", port);
          HttpBackend b3 = HttpBackend.start("127.0.0.13", port);
          HttpBackend warmed = warmed(b1, b2, b3);
          TestServer s = TestServer.in(dir).file("e2e.test.zone", ZONE)
              .file("e2e.test.pools.conf", pool("web",
                  "type = http, port = " + port + ", path = \"/healthz\"", "",
                  "127.0.0.11", "127.0.0.12", "127.0.0.13"))
              .set("http.listen", "127.0.0.1:0").start()) {
        // A cold JVM can miss the first 300 ms probe; wait for all three rather than assume it.
        until(s, NAME, a -> a.size() == 3, UP_BOUND, "all three up at start");
        InetSocketAddress http = s.server().httpAddress();
        assertTrue(get(http, "/status").contains("\"address\":\"127.0.0.12\""));
        assertTrue(rowFor(statusCommand(http), "127.0.0.12").contains("up"));

        long t0 = System.nanoTime();
        b2.stop();
        until(t0, s, NAME, a -> !a.contains("127.0.0.12"), DOWN_BOUND, "stopped backend left");
        assertEquals(Set.of("127.0.0.11", "127.0.0.13"), Dns.a(s.client(), NAME));

        String status = get(http, "/status");
        assertTrue(Pattern.compile("\"address\":\"127\\.0\\.0\\.12\"[^}]*\"health\":\"down\"")
            .matcher(status).find(), status);
        assertTrue(Pattern.compile("\"address\":\"127\\.0\\.0\\.11\"[^}]*\"health\":\"up\"")
            .matcher(status).find(), status);
        String metrics = get(http, "/metrics");
        assertEquals(0.0, metric(metrics, "dnslb_member_up\\{pool=\"web\",member=\"127\\.0\\.0\\.12\"\\}"), metrics);
        assertEquals(1.0, metric(metrics, "dnslb_member_up\\{pool=\"web\",member=\"127\\.0\\.0\\.11\"\\}"), metrics);
        assertEquals(1.0, metric(metrics, "dnslb_health_changes_total\\{pool=\"web\",to=\"down\"\\}"), metrics);
        double upsBefore = metric(metrics, "dnslb_health_changes_total\\{pool=\"web\",to=\"up\"\\}");
        String table = statusCommand(http);
        assertTrue(rowFor(table, "127.0.0.12").contains("down"), table);
        assertTrue(rowFor(table, "127.0.0.11").contains("up"), table);

        t0 = System.nanoTime();
        b2.restart();
        until(t0, s, NAME, a -> a.contains("127.0.0.12"), UP_BOUND, "restarted backend returned");
        assertEquals(Set.of("127.0.0.11", "127.0.0.12", "127.0.0.13"), Dns.a(s.client(), NAME));
        metrics = get(http, "/metrics");
        assertEquals(1.0, metric(metrics, "dnslb_member_up\\{pool=\"web\",member=\"127\\.0\\.0\\.12\"\\}"), metrics);
        assertEquals(upsBefore + 1, metric(metrics, "dnslb_health_changes_total\\{pool=\"web\",to=\"up\"\\}"), metrics);
        assertTrue(rowFor(statusCommand(http), "127.0.0.12").contains("up"));
      }
    }
  }

  @Test
  void a503AndASilentBackendAreTakenOut() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (HttpBackend b1 = HttpBackend.start("127.0.0.21", 0)) {
      int port = b1.boundPort();
      HttpBackend b3 = HttpBackend.start("127.0.0.23", port);
      try (HttpBackend b2 = HttpBackend.start("127.0.0.22", port);
          HttpBackend warmed = warmed(b1, b2, b3);
          TestServer s = TestServer.in(dir).file("e2e.test.zone", ZONE)
              // fast-fail off: the refused probe in the moment between stopping .23 and binding
              // the silent listener must not take it out; only the timeouts may.
              .file("e2e.test.pools.conf", pool("web",
                  "type = http, port = " + port + ", path = \"/\", fast-fail = false", "",
                  "127.0.0.21", "127.0.0.22", "127.0.0.23"))
              .start()) {
        until(s, NAME, a -> a.size() == 3, UP_BOUND, "all three up at start");
        b2.status.set(503);
        until(s, NAME, a -> !a.contains("127.0.0.22"), DOWN_BOUND, "503 backend left");

        // Replace .23 with a listener that accepts and never answers: only the timeout can tell.
        long t0 = System.nanoTime();
        b3.stop();
        try (ServerSocket silent = new ServerSocket()) {
          silent.setReuseAddress(true);
          silent.bind(new InetSocketAddress("127.0.0.23", port), 50);
          Thread acceptor = new Thread(() -> {
            try {
              while (true) {
                Socket c = silent.accept();
                synchronized (held) {
                  held.add(c);
                }
              }
            } catch (IOException closed) {
              // end of test
            }
          });
          acceptor.setDaemon(true);
          acceptor.start();
          until(t0, s, NAME, a -> !a.contains("127.0.0.23"), DOWN_BOUND, "silent backend left");
          assertEquals(Set.of("127.0.0.21"), Dns.a(s.client(), NAME));
          synchronized (held) {
            assertFalse(held.isEmpty(), "the prober never connected to the silent backend");
          }
          b2.status.set(200);
          until(s, NAME, a -> a.contains("127.0.0.22"), UP_BOUND, "503 backend returned at 200");
          assertEquals(Set.of("127.0.0.21", "127.0.0.22"), Dns.a(s.client(), NAME));
        }
      } finally {
        b3.close();
        synchronized (held) {
          for (Socket c : held) {
            c.close();
          }
        }
      }
    }
  }

  @Test
  void selfSignedHttpsIsDownWhenVerifyingAndUpWithoutVerification() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try (TestBackend tls = new TestBackend(group, "127.0.0.31",
        TestCerts.serverContext(TestCerts.keystore(dir, "backend.test", 2)))) {
      String check = "type = https, port = " + tls.port() + ", path = \"/\"";
      // A cold JVM's first TLS handshake can take longer than 300 ms on a busy machine: give the
      // https checks a 1 s timeout (1.5 s interval) so the test measures verification, not JIT warm-up.
      String pools = ("pools {\n"
          + block("verified", NAME, check, "when-all-down = servfail", "127.0.0.31")
          + block("trusting", "trusting.e2e.test.", check + ", tls-verify = false",
              "when-all-down = servfail", "127.0.0.31")
          + "}\n").replace("interval = " + INTERVAL + "ms, timeout = " + TIMEOUT + "ms",
              "interval = 1500ms, timeout = 1000ms");
      try (TestServer s = TestServer.in(dir).file("e2e.test.zone", ZONE)
          .file("e2e.test.pools.conf", pools).start()) {
        until(s, "trusting.e2e.test.", a -> a.equals(Set.of("127.0.0.31")),
            1500 * RISE + 1000, "self-signed backend up without verification");
        long end = System.currentTimeMillis() + 2 * 1500 + 500;
        while (System.currentTimeMillis() < end) { // and both stay so over several probe rounds
          Message verified = s.client().udp(NAME, Type.A);
          assertEquals(Rcode.SERVFAIL, verified.getRcode(), "verifying pool: " + verified);
          assertEquals(Set.of("127.0.0.31"), Dns.a(s.client(), "trusting.e2e.test."));
          Thread.sleep(100);
        }
      }
    } finally {
      group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void aBackendDownAtStartIsNeverAnswered() throws Exception {
    try (HttpBackend b1 = HttpBackend.start("127.0.0.41", 0)) {
      int port = b1.boundPort(); // nothing listens on 127.0.0.42:port
      try (TestServer s = TestServer.in(dir).file("e2e.test.zone", ZONE)
          .file("e2e.test.pools.conf", pool("web",
              "type = http, port = " + port + ", path = \"/\"", "", "127.0.0.41", "127.0.0.42"))
          .start()) {
        long end = System.nanoTime() + (INTERVAL * (RISE + 1)) * 1_000_000L;
        int n = 0;
        do {
          assertEquals(Set.of("127.0.0.41"), Dns.a(s.client(), NAME), "answer #" + n);
          n++;
        } while (System.nanoTime() < end);
      }
    }
  }
}
