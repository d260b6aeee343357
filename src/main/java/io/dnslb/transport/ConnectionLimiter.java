package io.dnslb.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps concurrent TCP connections across all listeners, and per client address: past either cap
 * a new connection is closed at once, so a client hoarding connections can exhaust neither file
 * descriptors nor the global cap that other clients share.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  private final int max;
  private final int maxPerClient;
  private final AtomicInteger open = new AtomicInteger();
  /** Open connections per client; an entry goes when its count reaches zero. */
  private final ConcurrentHashMap<InetAddress, Integer> perClient = new ConcurrentHashMap<>();

  ConnectionLimiter(int max, int maxPerClient) {
    this.max = max;
    this.maxPerClient = maxPerClient;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    InetAddress client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    if (!admit(client)) {
      ctx.pipeline().remove(this); // so channelInactive does not count it twice
      ctx.close();
      return;
    }
    ctx.channel().closeFuture().addListener(f -> release(client));
    super.channelActive(ctx);
  }

  private boolean admit(InetAddress client) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      return false;
    }
    boolean[] admitted = {false};
    perClient.compute(client, (k, n) -> {
      int count = n == null ? 0 : n;
      admitted[0] = count < maxPerClient;
      return admitted[0] ? count + 1 : n;
    });
    if (!admitted[0]) {
      open.decrementAndGet();
    }
    return admitted[0];
  }

  private void release(InetAddress client) {
    open.decrementAndGet();
    perClient.computeIfPresent(client, (k, n) -> n > 1 ? n - 1 : null);
  }

  int open() {
    return open.get();
  }
}
