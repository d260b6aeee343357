package io.dnslb.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * RFC 1035 §4.2.2 framing (a 2-byte length, then the message) with a read deadline: once part of
 * a message has arrived, the rest must follow within the read timeout, or the connection closes.
 * The idle timeout alone cannot stop a client that sends one byte every few seconds (slowloris),
 * since every byte counts as activity. The clock restarts with each complete message, so a busy
 * pipelining client is never cut off.
 */
final class FrameDecoder extends LengthFieldBasedFrameDecoder {
  private final long readTimeoutNanos;
  private long frames;
  private Future<?> deadline;

  FrameDecoder(Duration readTimeout) {
    super(65535 + 2, 0, 2, 0, 2);
    this.readTimeoutNanos = readTimeout.toNanos();
  }

  @Override
  protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
    Object frame = super.decode(ctx, in);
    if (frame != null) {
      frames++;
    }
    return frame;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    long before = frames;
    super.channelRead(ctx, msg);
    boolean partial = internalBuffer().isReadable();
    if (!partial || frames != before) {
      cancel();
    }
    if (partial && deadline == null) {
      deadline = ctx.executor().schedule((Runnable) ctx::close, readTimeoutNanos,
          TimeUnit.NANOSECONDS);
    }
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
