package io.dnslb.transport;

import io.dnslb.query.QueryProcessor;
import io.dnslb.ratelimit.RateLimiter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * One datagram in, at most one out, after the rate limiter's say. Writes are flushed once per
 * read batch.
 */
@ChannelHandler.Sharable
final class UdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  /** Per event loop: the query copied out of Netty's buffer and the answer before it goes back. */
  private static final FastThreadLocal<byte[][]> BUFFERS = new FastThreadLocal<>() {
    @Override
    protected byte[][] initialValue() {
      return new byte[][] {new byte[65535], new byte[65535]};
    }
  };

  private final QueryProcessor processor;
  private final RateLimiter rateLimiter;

  UdpHandler(QueryProcessor processor, RateLimiter rateLimiter) {
    this.processor = processor;
    this.rateLimiter = rateLimiter;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    ByteBuf content = packet.content();
    byte[][] buffers = BUFFERS.get();
    int length = content.readableBytes();
    content.getBytes(content.readerIndex(), buffers[0], 0, length);
    InetSocketAddress sender = packet.sender();
    int n = processor.process(buffers[0], length, sender.getAddress(), false, buffers[1]);
    if (n <= 0) {
      return;
    }
    if (rateLimiter == RateLimiter.NONE) {
      ByteBuf out = ctx.alloc().ioBuffer(n);
      out.writeBytes(buffers[1], 0, n);
      ctx.write(new DatagramPacket(out, sender), ctx.voidPromise());
      return;
    }
    // With RRL on, the limiter classifies and may truncate a copy; off (the default), the answer
    // goes from the scratch buffer straight into Netty's, allocation-free.
    byte[] response = rateLimiter.filter(sender.getAddress(), Arrays.copyOf(buffers[1], n));
    if (response != null) {
      ctx.write(new DatagramPacket(Unpooled.wrappedBuffer(response), sender), ctx.voidPromise());
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A send error (ICMP unreachable, buffer full) concerns one client; the socket stays open.
  }
}
