package io.dnslb.health.check;

import io.dnslb.health.ProbeResult;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.util.concurrent.CompletableFuture;

/** Up when a TCP connection opens within the timeout; the connection is closed at once. */
final class TcpCheck implements Check {
  static final CheckType TYPE = new CheckType("tcp", true, java.util.Set.of(),
      CheckType.NO_OPTIONS, c -> new TcpCheck(c.group(), c.channelClass()));

  private final EventLoopGroup group;
  private final Class<? extends SocketChannel> channelClass;

  TcpCheck(EventLoopGroup group, Class<? extends SocketChannel> channelClass) {
    this.group = group;
    this.channelClass = channelClass;
  }

  @Override
  public CompletableFuture<ProbeResult> probe(ProbeRequest request) {
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    long start = System.nanoTime();
    long timeout = request.timeoutMillis();
    ChannelFuture connect = new Bootstrap()
        .group(group)
        .channel(channelClass)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout))
        .handler(new ChannelInboundHandlerAdapter())
        .connect(request.address(), request.spec().port());
    connect.addListener((ChannelFuture f) -> {
      long latency = System.nanoTime() - start;
      if (f.isSuccess()) {
        f.channel().close();
        result.complete(ProbeResult.pass("connected", latency));
      } else {
        f.channel().close();
        result.complete(Failures.result(f.cause(), timeout, latency));
      }
    });
    return result;
  }
}
