package io.dnslb.health.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dnslb.health.ProbeResult;
import io.dnslb.time.Ticker;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TCP checks over real loopback sockets, on NIO (a Netty channel per probe) and on epoll (the
 * server's probe loop: a bare socket per probe, {@link EpollConnect}).
 */
class TcpCheckTest extends ChecksFixture {
  static EventLoopGroup epoll;

  @BeforeAll
  static void startEpoll() {
    if (Epoll.isAvailable()) {
      epoll = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    }
  }

  @AfterAll
  static void stopEpoll() {
    if (epoll != null) {
      epoll.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private static ProbeResult probe(boolean onEpoll, String hocon, String address) throws Exception {
    if (!onEpoll) {
      return run(hocon, address);
    }
    assumeTrue(epoll != null, "LOUD SKIP: native epoll is not available here, the epoll TCP probe is untested");
    CheckRegistry registry = new CheckRegistry(epoll, EpollSocketChannel.class, Path.of("health-probes"),
        execPool, USER_AGENT, Ticker.SYSTEM);
    var spec = spec(hocon, Path.of("health-probes"));
    return registry.get(spec.type()).probe(ProbeRequest.of("web", address, "www.example.test", spec))
        .get(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "epoll={0}")
  @ValueSource(booleans = {false, true})
  void upWhenTheConnectionOpensAndClosesIt(boolean onEpoll) throws Exception {
    try (TestBackend backend = new TestBackend(group, "127.0.0.2", null)) {
      ProbeResult r = probe(onEpoll, "type = tcp, port = " + backend.port(), "127.0.0.2");
      assertEquals(ProbeResult.pass("connected", r.latencyNanos()), r);
      assertTrue(r.latencyNanos() > 0);
      assertTrue(backend.allClosed(), "probe connection left open");
    }
  }

  @ParameterizedTest(name = "epoll={0}")
  @ValueSource(booleans = {false, true})
  void downWhenRefused(boolean onEpoll) throws Exception {
    ProbeResult r = probe(onEpoll, "type = tcp, port = " + closedPort("127.0.0.3"), "127.0.0.3");
    assertEquals(false, r.pass());
    assertEquals("connect refused", r.reason());
    assertTrue(r.unambiguous(), "fast-fail acts on a refused connection");
  }

  @Test
  void epollProbeOfIpv6Loopback() throws Exception {
    try (ServerSocket server = new ServerSocket()) {
      try {
        server.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
      } catch (java.io.IOException e) {
        assumeTrue(false, "LOUD SKIP: no IPv6 loopback here: " + e);
      }
      ProbeResult r = probe(true, "type = tcp, port = " + server.getLocalPort(), "::1");
      assertEquals("connected", r.reason());
      assertTrue(r.pass());
    }
  }

  /**
   * A listener whose accept queue is full drops further SYNs, so the connect never completes:
   * the probe fails at its timeout (not refused: a slow backend only counts toward fall) and its
   * socket is closed (the probe loop keeps no file descriptor behind).
   */
  @ParameterizedTest(name = "epoll={0}")
  @ValueSource(booleans = {false, true})
  void timesOutWhenSynsAreDropped(boolean onEpoll) throws Exception {
    InetAddress a = InetAddress.getByName("127.0.0.4");
    List<Socket> fillers = new ArrayList<>();
    try (ServerSocket server = new ServerSocket(0, 1, a)) {
      // backlog 1: the queue holds two; fill it with connections nobody accepts
      for (int i = 0; i < 4; i++) {
        Socket s = new Socket();
        try {
          s.connect(new InetSocketAddress(a, server.getLocalPort()), 300);
          fillers.add(s);
        } catch (java.net.SocketTimeoutException full) {
          s.close();
          break;
        }
      }
      long fds = openFds();
      ProbeResult r = probe(onEpoll, "type = tcp, port = " + server.getLocalPort() + ", timeout = 300ms",
          "127.0.0.4");
      assertFalse(r.pass());
      assertEquals("timeout after 300 ms", r.reason());
      assertFalse(r.unambiguous(), "a timeout may be a slow backend");
      assertTrue(r.latencyNanos() >= TimeUnit.MILLISECONDS.toNanos(290), "latency " + r.latencyNanos());
      if (onEpoll && fds >= 0) {
        long after = openFds();
        assertTrue(after <= fds, "probe socket left open: " + fds + " -> " + after + " fds");
      }
    } finally {
      for (Socket s : fillers) {
        s.close();
      }
    }
  }

  private static long openFds() {
    String[] fds = new java.io.File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }
}
