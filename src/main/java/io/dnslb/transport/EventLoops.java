package io.dnslb.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The Netty event loops and the channel classes that go with them: native epoll on Linux (for
 * SO_REUSEPORT, so that every loop owns a UDP socket), NIO elsewhere.
 */
public final class EventLoops implements AutoCloseable {
  private final EventLoopGroup group;
  private final boolean epoll;
  private final int size;

  public EventLoops(int threads, String name) {
    this.epoll = Epoll.isAvailable();
    IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true),
        factory);
    this.size = threads;
  }

  /**
   * Why the native epoll transport did not load on Linux (e.g. a noexec /tmp, where Netty
   * unpacks its library), or null when it did or this is not Linux. Without it dnslb still
   * works, on NIO, but without recvmmsg and SO_REUSEPORT: worth a WARN, never silence.
   */
  public static String nativeProblem() {
    if (Epoll.isAvailable() || !System.getProperty("os.name", "").toLowerCase().contains("linux")) {
      return null;
    }
    Throwable cause = Epoll.unavailabilityCause();
    StringBuilder b = new StringBuilder();
    for (Throwable t = cause; t != null && b.length() < 600; t = t.getCause()) {
      b.append(b.length() == 0 ? "" : "; caused by ").append(t);
    }
    return b.length() == 0 ? "unknown reason" : b.toString();
  }

  public EventLoopGroup group() {
    return group;
  }

  public boolean epoll() {
    return epoll;
  }

  public int size() {
    return size;
  }

  public Class<? extends DatagramChannel> datagramChannel() {
    return epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
  }

  public Class<? extends ServerSocketChannel> serverChannel() {
    return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  public Class<? extends SocketChannel> socketChannel() {
    return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }
}
