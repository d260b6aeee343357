package io.dnslb.health.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.health.ProbeResult;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpCheckTest extends ChecksFixture {
  static SslContext tls;

  @BeforeAll
  static void makeCert(@TempDir Path dir) throws Exception {
    tls = TestCerts.serverContext(TestCerts.keystore(dir, "www.example.test", 30));
  }

  @Test
  void upOnExpectedStatusWithHostHeader() throws Exception {
    try (TestBackend backend = new TestBackend(group, "127.0.0.4", null)) {
      ProbeResult r = run("type = http, port = " + backend.port() + ", path = /health", "127.0.0.4");
      assertEquals(true, r.pass());
      assertEquals("HTTP 200", r.reason());
      assertEquals(List.of("www.example.test:" + backend.port()), List.copyOf(backend.hostHeaders));
      // a backend can tell which server of a fleet probes it
      assertEquals(List.of(USER_AGENT), List.copyOf(backend.userAgents));
      assertTrue(backend.allClosed());
    }
  }

  @Test
  void readsTheLoadFigureFromAHeaderOrTheJsonBody() throws Exception {
    try (TestBackend backend = new TestBackend(group, "127.0.0.4", null)) {
      String http = "type = http, port = " + backend.port();
      assertTrue(Double.isNaN(run(http + ", load { header = \"X-Load\" }", "127.0.0.4").load()),
          "no header: no figure");
      backend.load.set("73.5");
      assertEquals(73.5, run(http + ", load { header = \"x-load\" }", "127.0.0.4").load());
      backend.body.set("{\"status\":\"ok\",\"load\": 42}");
      ProbeResult json = run(http + ", load { json = \"load\" }", "127.0.0.4");
      assertEquals(42.0, json.load());
      assertEquals(true, json.pass());
      backend.status.set(503);
      assertEquals(false, run(http + ", load { json = \"load\" }", "127.0.0.4").pass());
      assertTrue(backend.allClosed());
    }
  }

  @Test
  void refusedIsUnambiguousAndATimeoutIsNot() throws Exception {
    ProbeResult refused = run("type = http, port = " + ChecksFixture.closedPort("127.0.0.4"), "127.0.0.4");
    assertEquals("connect refused", refused.reason());
    assertTrue(refused.unambiguous());
    try (TestBackend silent = new TestBackend(group, "127.0.0.4", null)) {
      silent.status.set(0);
      ProbeResult timeout = run("type = http, port = " + silent.port() + ", timeout = 200ms", "127.0.0.4");
      assertEquals(false, timeout.pass());
      assertEquals(false, timeout.unambiguous(), "a timeout may be a slow backend: it counts toward fall");
    }
  }

  @Test
  void downOnUnexpectedStatusUnlessListed() throws Exception {
    try (TestBackend backend = new TestBackend(group, "127.0.0.4", null)) {
      backend.status.set(503);
      ProbeResult r = run("type = http, port = " + backend.port(), "127.0.0.4");
      assertEquals(ProbeResult.fail("HTTP 503", r.latencyNanos()), r);
      ProbeResult listed = run("type = http, port = " + backend.port() + ", expect = [\"500-503\"]", "127.0.0.4");
      assertEquals(true, listed.pass());
      assertTrue(backend.allClosed());
    }
  }

  @Test
  void timeoutWhenTheBackendNeverAnswersAndTheConnectionIsClosed() throws Exception {
    try (TestBackend backend = new TestBackend(group, "127.0.0.5", null)) {
      backend.status.set(0);
      ProbeResult r = run("type = http, port = " + backend.port() + ", timeout = 300ms, interval = 1s", "127.0.0.5");
      assertEquals("timeout after 300 ms", r.reason());
      assertEquals(false, r.pass());
      assertEquals(1, backend.requests.get(), "the request was sent and never answered");
      assertTrue(backend.allClosed(), "timed-out probe left its connection open");
    }
  }

  /**
   * A connect that never completes (the listener's accept queue is full, so its SYNs are
   * dropped) ends at the probe's one deadline: there is no separate connect timer.
   */
  @Test
  void timeoutWhileConnecting() throws Exception {
    java.net.InetAddress a = java.net.InetAddress.getByName("127.0.0.16");
    List<java.net.Socket> fillers = new java.util.ArrayList<>();
    try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, a)) {
      for (int i = 0; i < 4; i++) { // backlog 1: fill the queue with connections nobody accepts
        java.net.Socket s = new java.net.Socket();
        try {
          s.connect(new java.net.InetSocketAddress(a, server.getLocalPort()), 300);
          fillers.add(s);
        } catch (java.net.SocketTimeoutException full) {
          s.close();
          break;
        }
      }
      ProbeResult r = run("type = http, port = " + server.getLocalPort() + ", timeout = 300ms", "127.0.0.16");
      assertEquals("timeout after 300 ms", r.reason());
      assertEquals(false, r.pass());
      assertEquals(false, r.unambiguous(), "a timeout may be a slow backend");
    } finally {
      for (java.net.Socket s : fillers) {
        s.close();
      }
    }
  }

  @Test
  void downWhenRefused() throws Exception {
    ProbeResult r = run("type = http, port = " + closedPort("127.0.0.5"), "127.0.0.5");
    assertEquals("connect refused", r.reason());
  }

  @Test
  void httpsWithoutVerificationSendsSni() throws Exception {
    try (TestBackend backend = new TestBackend(group, "127.0.0.6", tls)) {
      ProbeResult r = run("type = https, port = " + backend.port() + ", tls-verify = false", "127.0.0.6");
      assertEquals("HTTP 200", r.reason());
      assertEquals(List.of("www.example.test"), List.copyOf(backend.sniNames));
      assertTrue(backend.allClosed());
    }
  }

  @Test
  void httpsVerifiesTheCertificateByDefault() throws Exception {
    try (TestBackend backend = new TestBackend(group, "127.0.0.6", tls)) {
      ProbeResult r = run("type = https, port = " + backend.port(), "127.0.0.6");
      assertEquals(false, r.pass());
      assertTrue(r.reason().startsWith("TLS: "), r.reason());
      assertEquals(0, backend.requests.get());
      assertTrue(backend.allClosed());
    }
  }

  @Test
  void httpsAgainstPlainHttpFails() throws Exception {
    try (TestBackend backend = new TestBackend(group, "127.0.0.6", null)) {
      ProbeResult r = run("type = https, port = " + backend.port() + ", tls-verify = false", "127.0.0.6");
      assertEquals(false, r.pass());
      assertTrue(r.reason().startsWith("TLS: ") || r.reason().startsWith("connection closed"), r.reason());
      assertTrue(backend.allClosed());
    }
  }
}
