package io.dnslb.health.check;

import io.dnslb.health.ProbeResult;
import io.dnslb.time.Ticker;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Up when a TCP connection opens within the timeout; the connection is closed at once, with a
 * reset (SO_LINGER 0, as HAProxy's checks do): no FIN exchange and no TIME_WAIT socket left per
 * probe, which at 10,000 probes a second would be 600,000 of them. On an epoll loop (the server's
 * probe loop) a probe is a bare socket on the loop ({@link EpollConnect}: 7 system calls, no
 * channel); elsewhere (NIO) a Netty channel, from a bootstrap shared per timeout with a shared
 * do-nothing handler, so a probe costs its channel, not its configuration.
 */
final class TcpCheck implements Check {
  static final CheckType TYPE = new CheckType("tcp", true, java.util.Set.of(),
      CheckType.NO_OPTIONS, c -> new TcpCheck(c.group(), c.channelClass(), c.ticker()));

  private final Bootstrap base;
  private final Map<Integer, Bootstrap> byTimeout = new ConcurrentHashMap<>();
  private final Ticker ticker;

  /** Nothing is read: the connection closes as soon as it opens. */
  @ChannelHandler.Sharable
  private static final class Nothing extends ChannelInboundHandlerAdapter {}

  TcpCheck(EventLoopGroup group, Class<? extends SocketChannel> channelClass, Ticker ticker) {
    this.base = new Bootstrap().group(group).channel(channelClass).handler(new Nothing())
        .option(ChannelOption.SO_LINGER, 0);
    this.ticker = ticker;
  }

  @Override
  public CompletableFuture<ProbeResult> probe(ProbeRequest request) {
    long timeout = request.timeoutMillis();
    EventLoop loop = base.config().group().next();
    if (EpollConnect.supports(loop)) {
      return EpollConnect.probe(loop, request.endpoint(), timeout, ticker);
    }
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    long start = ticker.nanos();
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout);
    Bootstrap bootstrap = byTimeout.computeIfAbsent(millis,
        m -> base.clone().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, m));
    ChannelFuture connect = bootstrap.connect(request.endpoint());
    connect.addListener((ChannelFuture f) -> {
      long latency = ticker.nanos() - start;
      Channel ch = f.channel();
      if (f.isSuccess()) {
        // Closed once Netty has finished the connect: closing inside its listener makes Netty
        // fail the (already fulfilled) connect promise with a new exception and its stack trace.
        ch.eventLoop().execute(ch::close);
        result.complete(ProbeResult.pass("connected", latency));
      } else {
        ch.close();
        result.complete(Failures.result(f.cause(), timeout, latency));
      }
    });
    return result;
  }
}
