package io.dnslb.health.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.health.ProbeResult;
import org.junit.jupiter.api.Test;

class TcpCheckTest extends ChecksFixture {
  @Test
  void upWhenTheConnectionOpensAndClosesIt() throws Exception {
    try (TestBackend backend = new TestBackend(group, "127.0.0.2", null)) {
      ProbeResult r = run("type = tcp, port = " + backend.port(), "127.0.0.2");
      assertEquals(ProbeResult.pass("connected", r.latencyNanos()), r);
      assertTrue(r.latencyNanos() > 0);
      assertTrue(backend.allClosed(), "probe connection left open");
    }
  }

  @Test
  void downWhenRefused() throws Exception {
    ProbeResult r = run("type = tcp, port = " + closedPort("127.0.0.3"), "127.0.0.3");
    assertEquals(false, r.pass());
    assertEquals("connect refused", r.reason());
    assertTrue(r.unambiguous(), "fast-fail acts on a refused connection");
  }
}
