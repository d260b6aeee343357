package io.dnslb.transport.ffm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.dnslb.config.HostPort;
import io.dnslb.query.QueryProcessor;
import io.dnslb.ratelimit.RateLimiter;
import io.dnslb.transport.NativeUdp;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The native UDP transport ({@link NativeUdp}): per address, one socket per loop bound with
 * SO_REUSEPORT (the kernel spreads clients over them by a hash of their address and port), each
 * read and answered by its own {@link UdpLoop} thread. Compiled with JDK 22+ only (see the
 * pom's native-udp profile) and loaded by name.
 */
public final class FfmUdp implements NativeUdp {
  /**
   * How long a blocked receive waits before it looks whether it should stop: belt and braces,
   * as shutdown(2) wakes it at once. Two wake-ups a second per idle loop cost nothing.
   */
  private static final long RECEIVE_TIMEOUT_MILLIS = 500;

  private record Running(int fd, UdpLoop loop, Thread thread) {}

  private final QueryProcessor processor;
  private final RateLimiter rateLimiter;
  private final int batch;
  private final List<Running> running = new ArrayList<>();

  /** Each loop reads up to {@code batch} datagrams per recvmmsg (dnslb.dns.udp-batch). */
  public FfmUdp(QueryProcessor processor, RateLimiter rateLimiter, int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, not " + batch);
    }
    this.processor = processor;
    this.rateLimiter = rateLimiter;
    this.batch = batch;
  }

  @Override
  public synchronized void bind(InetSocketAddress address, int loops) throws BindException {
    List<Integer> fds = new ArrayList<>();
    try {
      for (int i = 0; i < loops; i++) {
        fds.add(open(address));
      }
    } catch (BindException | RuntimeException e) {
      fds.forEach(FfmUdp::closeFd);
      throw e;
    }
    for (int fd : fds) {
      UdpLoop loop = new UdpLoop(fd, processor, rateLimiter, batch);
      Thread t = Thread.ofPlatform().daemon(true)
          .name("dnslb-udp-" + running.size()).unstarted(loop);
      running.add(new Running(fd, loop, t));
      t.start();
    }
  }

  /** A UDP socket bound to the address with SO_REUSEPORT, a 4 MiB receive buffer, a timeout. */
  private static int open(InetSocketAddress address) throws BindException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment capture = Libc.capture(arena);
      boolean v6 = address.getAddress() instanceof Inet6Address;
      int fd = (int) Libc.SOCKET.invokeExact(capture, v6 ? Libc.AF_INET6 : Libc.AF_INET,
          Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
      if (fd < 0) {
        throw failure(address, "socket", Libc.errno(capture));
      }
      try {
        MemorySegment one = arena.allocate(JAVA_INT);
        one.set(JAVA_INT, 0, 1);
        check(address, "SO_REUSEPORT", capture,
            (int) Libc.SETSOCKOPT.invokeExact(capture, fd, Libc.SOL_SOCKET, Libc.SO_REUSEPORT,
                one, 4));
        MemorySegment size = arena.allocate(JAVA_INT);
        size.set(JAVA_INT, 0, 4 << 20);
        // A smaller buffer than asked for (net.core.rmem_max) is no error, as with Netty.
        int ignored = (int) Libc.SETSOCKOPT.invokeExact(capture, fd, Libc.SOL_SOCKET,
            Libc.SO_RCVBUF, size, 4);
        MemorySegment timeval = arena.allocate(16, 8);
        timeval.set(JAVA_LONG, 0, RECEIVE_TIMEOUT_MILLIS / 1000);
        timeval.set(JAVA_LONG, 8, RECEIVE_TIMEOUT_MILLIS % 1000 * 1000);
        check(address, "SO_RCVTIMEO", capture,
            (int) Libc.SETSOCKOPT.invokeExact(capture, fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO,
                timeval, 16));
        MemorySegment sockaddr = sockaddr(arena, address);
        check(address, null, capture,
            (int) Libc.BIND.invokeExact(capture, fd, sockaddr, (int) sockaddr.byteSize()));
        return fd;
      } catch (BindException | RuntimeException e) {
        closeFd(fd);
        throw e;
      }
    } catch (BindException | RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private static MemorySegment sockaddr(Arena arena, InetSocketAddress address) {
    byte[] ip = address.getAddress().getAddress();
    int port = address.getPort();
    if (address.getAddress() instanceof Inet4Address) {
      MemorySegment s = arena.allocate(16, 4);
      s.set(JAVA_SHORT, 0, (short) Libc.AF_INET);
      s.set(JAVA_BYTE, 2, (byte) (port >>> 8));
      s.set(JAVA_BYTE, 3, (byte) port);
      MemorySegment.copy(ip, 0, s, JAVA_BYTE, 4, 4);
      return s;
    }
    MemorySegment s = arena.allocate(28, 4);
    s.set(JAVA_SHORT, 0, (short) Libc.AF_INET6);
    s.set(JAVA_BYTE, 2, (byte) (port >>> 8));
    s.set(JAVA_BYTE, 3, (byte) port);
    MemorySegment.copy(ip, 0, s, JAVA_BYTE, 8, 16);
    s.set(JAVA_INT, 24, ((Inet6Address) address.getAddress()).getScopeId());
    return s;
  }

  private static void check(InetSocketAddress address, String what, MemorySegment capture,
      int result) throws BindException {
    if (result < 0) {
      throw failure(address, what, Libc.errno(capture));
    }
  }

  /** As DnsServer says it for Netty: "cannot listen on 127.0.0.1:53/udp: Permission denied". */
  private static BindException failure(InetSocketAddress address, String what, int errno) {
    return new BindException("cannot listen on " + HostPort.format(address) + "/udp: "
        + (what == null ? "" : what + ": ") + Libc.message(errno));
  }

  private static void closeFd(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      int ignored = (int) Libc.CLOSE.invokeExact(Libc.capture(arena), fd);
    } catch (Throwable t) {
      // nothing left to do for a socket that will not close
    }
  }

  /**
   * Stops every loop: shutdown(2) wakes a thread blocked in recvmmsg at once (the receive
   * timeout would within half a second), then the socket is closed once its thread has
   * returned, so no thread ever reads a closed or reused descriptor.
   */
  @Override
  public synchronized void close() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment capture = Libc.capture(arena);
      for (Running r : running) {
        r.loop().stop();
        int ignored = (int) Libc.SHUTDOWN.invokeExact(capture, r.fd(), Libc.SHUT_RD);
      }
    } catch (Throwable t) {
      // the receive timeout still ends the loops
    }
    for (Running r : running) {
      try {
        r.thread().join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (!r.thread().isAlive()) {
        closeFd(r.fd());
      }
    }
    running.clear();
  }
}
