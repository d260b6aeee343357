package io.dnslb.transport;

import io.dnslb.ratelimit.RateLimiter;
import io.dnslb.wire.QueryProcessor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * One datagram in, at most one out, after the rate limiter's say. Writes are flushed once per
 * read batch.
 */
@ChannelHandler.Sharable
final class UdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private final QueryProcessor processor;
  private final RateLimiter rateLimiter;

  UdpHandler(QueryProcessor processor, RateLimiter rateLimiter) {
    this.processor = processor;
    this.rateLimiter = rateLimiter;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    ByteBuf content = packet.content();
    byte[] query = ByteBufUtil.getBytes(content);
    InetSocketAddress sender = packet.sender();
    byte[] response = processor.process(query, sender.getAddress(), false);
    if (response != null) {
      response = rateLimiter.filter(sender.getAddress(), response);
    }
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
