package io.dnslb.e2e;

import static io.dnslb.e2e.HealthE2ETest.get;
import static io.dnslb.e2e.HealthE2ETest.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fast-fail with a flapping backend, over real sockets and real UDP queries: a TCP backend that
 * refuses every other probe (its listening socket is closed for exactly one probe, then open for
 * exactly one) is taken out at its first refusal and is not re-added while it flaps, because
 * {@code rise = 2} passes in a row never come; once it stays up, two passes bring it back.
 *
 * <p>The backend alternates by probe, not by clock: it closes after it accepted a probe, and the
 * test reopens it when the pool's failed-check counter (/metrics) shows the refused probe. So a
 * slow machine stretches the test but cannot turn two probes into one pass or fail.
 */
class FlappingE2ETest {
  static final String NAME = "www.e2e.test.";
  static final String FLAPPER = "127.0.0.61";
  static final String STEADY = "127.0.0.62";
  static final int PASSES_WHILE_FLAPPING = 3;

  @TempDir Path dir;

  @Test
  void aBackendRefusingEveryOtherProbeStaysOutUntilRisePassesInARow() throws Exception {
    int port = HttpBackend.freePort(FLAPPER);
    try (HttpBackend steady = HttpBackend.start(STEADY, 0)) {
      flap(port, steady);
    }
  }

  private void flap(int port, HttpBackend steady) throws Exception {
    String pools = "pools {\n  web {\n    names = [\"" + NAME + "\"]\n    policy = round-robin\n"
        + "    check { type = tcp, port = " + port + ", interval = 1s, timeout = 500ms,"
        + " rise = 2, fall = 5 }\n" // fast-fail: the tcp default
        // the steady member's own check is http, so the pool's tcp results are the flapper's alone
        + "    members = [{ address = \"" + FLAPPER + "\" }, { address = \"" + STEADY + "\","
        + " check { type = http, port = " + steady.boundPort() + " } }]\n"
        + "  }\n}\n";
    try (TcpBackend flapper = new TcpBackend(FLAPPER, port);
        TestServer s = TestServer.in(dir).file("e2e.test.zone", HealthE2ETest.ZONE)
            .file("e2e.test.pools.conf", pools).set("http.listen", "127.0.0.1:0").start()) {
      Polling.until(System.nanoTime(), s, NAME, a -> a.equals(Set.of(FLAPPER, STEADY)), 20_000,
          "both members up");
      InetSocketAddress http = s.server().httpAddress();

      // Flapping starts with a refusal: out at that probe, without waiting for fall = 5.
      long failsAtStart = fails(http);
      flapper.close();
      long t0 = System.nanoTime();
      Polling.until(t0, s, NAME, a -> !a.contains(FLAPPER), 1000 + 100 + 200 + 1700,
          "first refusal took the flapper out");

      // Then alternate, one probe each way, while a client asks over UDP all along.
      AtomicBoolean seen = new AtomicBoolean();
      AtomicInteger answers = new AtomicInteger();
      AtomicBoolean flapping = new AtomicBoolean(true);
      Thread client = new Thread(() -> {
        while (flapping.get()) {
          try {
            Set<String> a = Dns.a(s.client(), NAME, true);
            answers.incrementAndGet();
            seen.compareAndSet(false, a.contains(FLAPPER));
            Thread.sleep(25);
          } catch (SocketTimeoutException lost) {
            // a datagram lost to load: ask again
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        }
      });
      client.start();
      List<String> sequence = new ArrayList<>();
      long fails = waitForMoreFails(http, failsAtStart, sequence, false);
      for (int pass = 1; pass <= PASSES_WHILE_FLAPPING; pass++) {
        int accepted = flapper.accepted.get();
        flapper.open(); // the next probe passes ...
        waitUntil(() -> flapper.accepted.get() > accepted, "probe accepted");
        flapper.close(); // ... and the one after is refused
        sequence.add("pass");
        fails = waitForMoreFails(http, fails, sequence, true);
      }
      flapping.set(false);
      client.join();
      System.out.println("[flapping] probes " + sequence + ", " + answers.get()
          + " UDP answers while flapping, the flapper in none: " + !seen.get());
      assertEquals(2 * PASSES_WHILE_FLAPPING + 1, sequence.size(), "alternated: " + sequence);
      assertTrue(answers.get() > 20, "the client kept asking: " + answers.get());
      assertTrue(!seen.get(), "a flapping member must not be re-added: pass, refusal, pass, ...");

      // Steady again: rise = 2 passes in a row re-add it (two intervals plus slack).
      int acceptedBefore = flapper.accepted.get();
      flapper.open();
      long t1 = System.nanoTime();
      Polling.until(t1, s, NAME, a -> a.equals(Set.of(FLAPPER, STEADY)), 2 * 1100 + 200 + 3000,
          "re-added after rise passes in a row");
      assertTrue(flapper.accepted.get() >= acceptedBefore + 2, "it took two passes in a row");
    }
  }

  /**
   * Waits until the pool's failed-check counter grows (the flapper's refusal) and returns it;
   * exactly by one where the backend was open for one probe only.
   */
  private static long waitForMoreFails(InetSocketAddress http, long before, List<String> sequence,
      boolean exactlyOne) throws Exception {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (System.nanoTime() < deadline) {
      long now = fails(http);
      if (now > before) {
        if (exactlyOne) {
          assertEquals(before + 1, now, "one refused probe at a time");
        }
        sequence.add("refused");
        return now;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no refused probe within 15 s; so far " + sequence);
  }

  private static long fails(InetSocketAddress http) throws Exception {
    double n = metric(get(http, "/metrics"),
        "dnslb_checks_total\\{pool=\"web\",type=\"tcp\",result=\"fail\"\\}");
    return Double.isNaN(n) ? 0 : (long) n;
  }

  private static void waitUntil(java.util.function.BooleanSupplier ok, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " did not happen within 15 s");
      }
      Thread.sleep(5);
    }
  }

  /**
   * A TCP backend whose listening socket the test opens and closes: closed, a connection is
   * refused (RST) by the kernel, which is what fast-fail acts on. Counts accepted connections.
   */
  static final class TcpBackend implements AutoCloseable {
    final AtomicInteger accepted = new AtomicInteger();
    private final InetSocketAddress at;
    private ServerSocket socket;

    TcpBackend(String address, int port) throws IOException {
      this.at = new InetSocketAddress(InetAddress.getByName(address), port);
      open();
    }

    synchronized void open() throws IOException {
      if (socket != null) {
        return;
      }
      ServerSocket ss = new ServerSocket();
      ss.setReuseAddress(true);
      ss.bind(at, 16);
      socket = ss;
      Thread t = new Thread(() -> {
        while (true) {
          try (Socket c = ss.accept()) {
            accepted.incrementAndGet();
          } catch (IOException closed) {
            return;
          }
        }
      }, "tcp-backend-" + at);
      t.setDaemon(true);
      t.start();
    }

    @Override
    public synchronized void close() throws IOException {
      if (socket != null) {
        socket.close();
        socket = null;
      }
    }
  }
}
