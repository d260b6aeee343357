package io.dnslb.health.check;

import io.dnslb.health.ProbeResult;
import io.dnslb.time.Ticker;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connect probe done straight on an epoll event loop: a non-blocking socket registered
 * for writability, without a Netty channel. A channel costs 17 system calls a probe (socket,
 * IPV6_V6ONLY, TCP_NODELAY, SO_SNDBUF read, SO_LINGER, getsockname twice, getpeername, four to
 * five epoll_ctl, the SO_LINGER read at close, a read of the backend's FIN) and a pipeline, a
 * promise chain and a connect-timeout task in Java. This costs 7: socket (of the target's
 * family, so no IPV6_V6ONLY), the family read Netty's socket wrapper makes (getsockname),
 * SO_LINGER 0, connect, one epoll_ctl ADD, the SO_ERROR read, close (closing removes the socket
 * from epoll, so no epoll_ctl DEL), plus its share of an epoll_wait; one timer, cancelled when
 * the connect completes. Closed with a reset (SO_LINGER 0) as {@link TcpCheck} explains.
 */
final class EpollConnect implements EpollIoHandle, Runnable {
  private final Socket socket;
  private final CompletableFuture<ProbeResult> result;
  private final long start;
  private final long timeoutMillis;
  private final Ticker ticker;
  private IoRegistration registration;
  private Future<?> deadline;

  /** The socket subclass only reaches Netty's protected factory of a socket of a given family. */
  private static final class ProbeSocket extends Socket {
    private ProbeSocket(int fd) {
      super(fd);
    }

    static ProbeSocket stream(boolean ipv6) {
      return new ProbeSocket(newSocketStream0(ipv6));
    }
  }

  /** True when {@code loop} is an epoll loop this class can register with. */
  static boolean supports(EventLoop loop) {
    return loop instanceof IoEventLoop io && io.isCompatible(EpollConnect.class);
  }

  /**
   * Starts a probe of {@code endpoint} on {@code loop} (which {@link #supports}); the result
   * completes on the loop.
   */
  static CompletableFuture<ProbeResult> probe(EventLoop loop, InetSocketAddress endpoint,
      long timeoutMillis, Ticker ticker) {
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    long start = ticker.nanos();
    if (loop.inEventLoop()) {
      start((IoEventLoop) loop, endpoint, timeoutMillis, ticker, result, start);
    } else {
      loop.execute(() -> start((IoEventLoop) loop, endpoint, timeoutMillis, ticker, result, start));
    }
    return result;
  }

  private static void start(IoEventLoop loop, InetSocketAddress endpoint, long timeoutMillis,
      Ticker ticker, CompletableFuture<ProbeResult> result, long start) {
    if (endpoint.isUnresolved()) {
      result.complete(Failures.result(new UnresolvedAddressException(), timeoutMillis,
          ticker.nanos() - start));
      return;
    }
    Socket socket;
    try {
      socket = ProbeSocket.stream(endpoint.getAddress() instanceof Inet6Address);
    } catch (RuntimeException e) { // out of file descriptors, say
      result.complete(Failures.result(e, timeoutMillis, ticker.nanos() - start));
      return;
    }
    EpollConnect c = new EpollConnect(socket, result, start, timeoutMillis, ticker);
    try {
      socket.setSoLinger(0);
      if (socket.connect(endpoint)) { // connected at once: nothing to wait for
        c.finish(ProbeResult.pass("connected", ticker.nanos() - start));
        return;
      }
      c.registration = loop.register(c).getNow();
      if (c.registration == null) { // on the loop, registering completes at once; else give up
        throw new IOException("could not register with the probe loop");
      }
      c.registration.submit(EpollIoOps.EPOLLOUT);
      c.deadline = loop.schedule(c, timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (IOException | RuntimeException e) {
      c.finish(Failures.result(e, timeoutMillis, ticker.nanos() - start));
    }
  }

  private EpollConnect(Socket socket, CompletableFuture<ProbeResult> result, long start,
      long timeoutMillis, Ticker ticker) {
    this.socket = socket;
    this.result = result;
    this.start = start;
    this.timeoutMillis = timeoutMillis;
    this.ticker = ticker;
  }

  /** Writable, or an error or hang-up: the connect has finished one way or the other. */
  @Override
  public void handle(IoRegistration registration, IoEvent event) {
    try {
      if (!socket.finishConnect()) {
        return; // not yet (a spurious wake-up): keep waiting
      }
      finish(ProbeResult.pass("connected", ticker.nanos() - start));
    } catch (IOException e) {
      finish(Failures.result(e, timeoutMillis, ticker.nanos() - start));
    }
  }

  /** The deadline. */
  @Override
  public void run() {
    deadline = null;
    finish(Failures.timeout(timeoutMillis, ticker.nanos() - start));
  }

  private void finish(ProbeResult r) {
    if (result.isDone()) {
      return;
    }
    close();
    result.complete(r);
  }

  /** Closes the socket first: the kernel then drops it from epoll, so cancelling makes no call. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // a probe socket that fails to close has nothing left to tell
    }
    if (registration != null) {
      registration.cancel();
    }
    if (deadline != null) {
      deadline.cancel(false);
    }
  }

  @Override
  public FileDescriptor fd() {
    return socket;
  }
}
