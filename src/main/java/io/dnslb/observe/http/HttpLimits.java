package io.dnslb.observe.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What HTTP clients may hold: the endpoint shares the process's file descriptors with DNS over
 * TCP, and 20,000 slow connections once exhausted them, stopping TCP answers and reloads.
 */
final class HttpLimits {
  private HttpLimits() {}

  /**
   * Caps concurrent connections in total and per client address; past either cap a new
   * connection is closed at once. Unlike DNS over TCP, nothing here needs to be admitted at the
   * cost of another client's connection: monitoring retries.
   */
  @ChannelHandler.Sharable
  static final class Connections extends ChannelInboundHandlerAdapter {
    private final int max;
    private final int maxPerClient;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perClient = new ConcurrentHashMap<>();

    Connections(int max, int maxPerClient) {
      this.max = max;
      this.maxPerClient = maxPerClient;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      InetAddress client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
      if (!admit(client)) {
        ctx.pipeline().remove(this);
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
  }

  /**
   * Once a request's first byte arrives, its response must be under way within the deadline, or
   * the connection closes. An idle timeout alone never fires for a client that sends one header
   * byte every few seconds. Sits first in the pipeline: it sees the raw bytes coming in and the
   * response going out.
   */
  static final class RequestDeadline extends ChannelDuplexHandler {
    private final long millis;
    private Future<?> deadline;

    RequestDeadline(long millis) {
      this.millis = millis;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (deadline == null && msg instanceof ByteBuf b && b.isReadable()) {
        deadline = ctx.executor().schedule((Runnable) ctx::close, millis, TimeUnit.MILLISECONDS);
      }
      super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
        throws Exception {
      cancel(); // answered: the next request's first byte starts a new deadline
      super.write(ctx, msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      cancel();
      super.channelInactive(ctx);
    }

    private void cancel() {
      if (deadline != null) {
        deadline.cancel(false);
        deadline = null;
      }
    }
  }
}
