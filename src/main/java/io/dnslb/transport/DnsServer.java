package io.dnslb.transport;

import io.dnslb.config.HostPort;
import io.dnslb.query.QueryProcessor;
import io.dnslb.ratelimit.RateLimiter;
import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Binds the DNS listeners: TCP on Netty, UDP on Netty (one socket per event loop with epoll) or
 * on the native loops when given ({@link NativeUdp}, one socket and thread per loop).
 */
public final class DnsServer implements AutoCloseable {
  private static final int MAX_UDP_QUERY = 4096;
  private static final int DATAGRAMS_PER_READ = 16;

  private final EventLoops loops;
  private final QueryProcessor processor;
  private final TcpLimits tcpLimits;
  private final RateLimiter rateLimiter;
  private final ConnectionLimiter limiter;
  private final NativeUdp nativeUdp;
  private final List<Channel> channels = new ArrayList<>();
  private final List<InetSocketAddress> bound = new ArrayList<>();

  /** @param rateLimiter applied to UDP responses only (see {@link RateLimiter}) */
  public DnsServer(EventLoops loops, QueryProcessor processor, TcpLimits tcpLimits,
      RateLimiter rateLimiter) {
    this(loops, processor, tcpLimits, rateLimiter, null);
  }

  /**
   * @param nativeUdp answers UDP instead of Netty, with as many loops as {@code loops} has; null
   *     for Netty
   */
  public DnsServer(EventLoops loops, QueryProcessor processor, TcpLimits tcpLimits,
      RateLimiter rateLimiter, NativeUdp nativeUdp) {
    this.nativeUdp = nativeUdp;
    this.loops = loops;
    this.processor = processor;
    this.tcpLimits = tcpLimits;
    this.rateLimiter = rateLimiter;
    this.limiter = new ConnectionLimiter(tcpLimits.maxConnections(), tcpLimits.maxPerClient());
  }

  /**
   * Binds UDP and TCP on the address; port 0 picks a free port, the same one for both.
   *
   * @return the address actually bound
   */
  public InetSocketAddress bind(InetSocketAddress address) throws InterruptedException,
      BindException {
    Channel tcp = listen(tcpBootstrap(), address, "tcp");
    InetSocketAddress actual = (InetSocketAddress) tcp.localAddress();
    if (nativeUdp != null) {
      nativeUdp.bind(actual, loops.size());
      bound.add(actual);
      return actual;
    }
    UdpHandler udpHandler = new UdpHandler(processor, rateLimiter);
    Bootstrap udp = new Bootstrap()
        .group(loops.group())
        .channel(loops.datagramChannel())
        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_UDP_QUERY))
        .option(ChannelOption.SO_RCVBUF, 4 << 20)
        .handler(udpHandler);
    int sockets = 1;
    if (loops.epoll()) {
      udp.option(EpollChannelOption.SO_REUSEPORT, true);
      // recvmmsg: one system call reads up to 16 datagrams into one buffer (Netty slices it).
      // A query over 4096 bytes would be cut; no real DNS query over UDP comes near that.
      udp.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_UDP_QUERY)
          .option(ChannelOption.RCVBUF_ALLOCATOR,
              new FixedRecvByteBufAllocator(MAX_UDP_QUERY * DATAGRAMS_PER_READ));
      sockets = loops.size();
    }
    for (int i = 0; i < sockets; i++) {
      listen(udp, actual, "udp");
    }
    bound.add(actual);
    return actual;
  }

  /** Binds, or says in one line which address failed and why (port in use, no permission). */
  private Channel listen(AbstractBootstrap<?, ?> bootstrap, InetSocketAddress address,
      String transport) throws InterruptedException, BindException {
    ChannelFuture f = bootstrap.bind(address).await();
    if (!f.isSuccess()) {
      String reason = String.valueOf(f.cause().getMessage()).replaceFirst("^bind\\(\\.\\.\\) failed"
          + " with error\\(-?\\d+\\): ", "");
      throw new BindException("cannot listen on " + HostPort.format(address) + "/" + transport
          + ": " + reason);
    }
    channels.add(f.channel());
    return f.channel();
  }

  private ServerBootstrap tcpBootstrap() {
    long idleMillis = tcpLimits.idleTimeout().toMillis();
    ServerBootstrap tcp = new ServerBootstrap()
        .group(loops.group())
        .channel(loops.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        // Answers queue per connection until the peer reads them; past the high mark
        // FrameDecoder holds back the queries already read and TcpHandler stops reading, so one
        // client that never reads holds at most this plus one answer, then the idle timeout
        // closes it.
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(64 * 1024, 256 * 1024))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ConnectionLimiter.Activity activity = new ConnectionLimiter.Activity();
            ch.attr(ConnectionLimiter.ACTIVITY).set(activity);
            ch.pipeline().addLast(limiter)
                .addLast(new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS))
                .addLast(new FrameDecoder(tcpLimits.readTimeout()))
                .addLast(new TcpHandler(processor, activity));
          }
        });
    return tcp;
  }

  public List<InetSocketAddress> addresses() {
    return List.copyOf(bound);
  }

  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (InetSocketAddress a : bound) {
      sb.append(sb.length() == 0 ? "" : ", ").append(HostPort.format(a));
    }
    return sb.toString();
  }

  /** Stops accepting; connections in flight finish on the event loops until they shut down. */
  @Override
  public void close() {
    for (Channel ch : channels) {
      ch.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
    channels.clear();
    if (nativeUdp != null) {
      nativeUdp.close();
    }
  }

  /** Which transport answers UDP: "native" (recvmmsg/sendmmsg through FFM), "epoll" or "nio". */
  public String udpTransport() {
    return nativeUdp != null ? "native" : loops.epoll() ? "epoll" : "nio";
  }
}
