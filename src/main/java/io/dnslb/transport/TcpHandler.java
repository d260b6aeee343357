package io.dnslb.transport;

import io.dnslb.query.QueryProcessor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;

/**
 * Answers length-framed queries on one TCP connection (RFC 7766): many per connection, pipelined,
 * answered in order; the connection closes after the idle timeout.
 */
final class TcpHandler extends SimpleChannelInboundHandler<ByteBuf> {
  private final QueryProcessor processor;
  private final ConnectionLimiter.Activity activity;

  TcpHandler(QueryProcessor processor, ConnectionLimiter.Activity activity) {
    this.processor = processor;
    this.activity = activity;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
    activity.touch(); // at a connection cap, the idlest connection is the one closed
    byte[] query = ByteBufUtil.getBytes(frame);
    InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
    byte[] response = processor.process(query, remote == null ? null : remote.getAddress(), true);
    if (response == null) {
      ctx.close(); // a response or garbage on a stream: nothing sensible follows it
      return;
    }
    ByteBuf out = ctx.alloc().buffer(2 + response.length);
    out.writeShort(response.length);
    out.writeBytes(response);
    ctx.write(out, ctx.voidPromise());
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  /**
   * Stops reading queries while the peer does not read its answers (the write buffer is past
   * its high water mark), and resumes when it drains: no unbounded queue of answers.
   */
  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    ctx.channel().config().setAutoRead(ctx.channel().isWritable());
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // reset by peer, oversized frame: this connection only
  }
}
