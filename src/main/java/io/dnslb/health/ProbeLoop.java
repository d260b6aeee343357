package io.dnslb.health;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The prober's own event loop: one thread, {@code dnslb-probe}, at {@link ProbePriority}, so
 * socket probes never run on a DNS loop nor compete with one at equal priority (on the two-core
 * box the probe thread shares a core with a DNS loop; below it, it only takes the time DNS leaves).
 * One thread carries 10,000 TCP probes a second; the health table's rebuilds stay on the
 * auxiliary loop at normal priority, so a verdict still reaches the answers promptly.
 */
public final class ProbeLoop implements AutoCloseable {
  private final EventLoopGroup group;
  private final boolean epoll;

  /** @param epoll native epoll (as the DNS loops), else NIO */
  public ProbeLoop(boolean epoll, ProbePriority priority) {
    this.epoll = epoll;
    this.group = new MultiThreadIoEventLoopGroup(1,
        priority.lowering(new DefaultThreadFactory("dnslb-probe", true)),
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  public EventLoopGroup group() {
    return group;
  }

  public Class<? extends SocketChannel> socketChannel() {
    return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }
}
