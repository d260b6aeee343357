package io.dnslb.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps concurrent TCP connections across all listeners: past the cap a new connection is closed
 * at once, so a client hoarding connections cannot exhaust file descriptors or memory.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  private final int max;
  private final AtomicInteger open = new AtomicInteger();

  ConnectionLimiter(int max) {
    this.max = max;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      ctx.pipeline().remove(this); // so channelInactive does not count it twice
      ctx.close();
      return;
    }
    ctx.channel().closeFuture().addListener(f -> open.decrementAndGet());
    super.channelActive(ctx);
  }

  int open() {
    return open.get();
  }
}
