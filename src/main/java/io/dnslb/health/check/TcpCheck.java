package io.dnslb.health.check;

import io.dnslb.health.ProbeResult;
import io.dnslb.time.Ticker;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Up when a TCP connection opens within the timeout; the connection is closed at once. The
 * bootstrap (one per timeout in use) and the do-nothing handler are shared by every probe: a
 * probe costs its channel, not its configuration.
 */
final class TcpCheck implements Check {
  private final Bootstrap base;
  private final Map<Integer, Bootstrap> byTimeout = new ConcurrentHashMap<>();
  private final Ticker ticker;

  /** Nothing is read: the connection closes as soon as it opens. */
  @ChannelHandler.Sharable
  private static final class Nothing extends ChannelInboundHandlerAdapter {}

  TcpCheck(EventLoopGroup group, Class<? extends SocketChannel> channelClass, Ticker ticker) {
    this.base = new Bootstrap().group(group).channel(channelClass).handler(new Nothing());
    this.ticker = ticker;
  }

  @Override
  public CompletableFuture<ProbeResult> probe(ProbeRequest request) {
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    long start = ticker.nanos();
    long timeout = request.timeoutMillis();
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout);
    Bootstrap bootstrap = byTimeout.computeIfAbsent(millis,
        m -> base.clone().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, m));
    ChannelFuture connect = bootstrap.connect(request.endpoint());
    connect.addListener((ChannelFuture f) -> {
      long latency = ticker.nanos() - start;
      f.channel().close();
      result.complete(f.isSuccess() ? ProbeResult.pass("connected", latency)
          : Failures.result(f.cause(), timeout, latency));
    });
    return result;
  }
}
