package io.dnslb.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * RFC 1035 §4.2.2 framing (a 2-byte length, then the message) with a read deadline and
 * back-pressure.
 *
 * <p>Read deadline: once part of a message has arrived, the rest must follow within the read
 * timeout, or the connection closes. The idle timeout alone cannot stop a client that sends one
 * byte every few seconds (slowloris), since every byte counts as activity. The clock restarts with
 * each complete message, so a busy pipelining client is never cut off.
 *
 * <p>Back-pressure: no frame is passed on while the channel is not writable (its answers are past
 * the high water mark). Turning auto-read off is not enough: one read can bring in 60 KB of
 * pipelined queries, and answering all of them would queue thousands of answers. Held-back frames
 * stay in this decoder's buffer and are decoded when the peer drains its answers, so what one
 * connection holds is the high water mark plus one answer, whatever the zone holds.
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
    if (!ctx.channel().isWritable()) {
      return null; // hold back: decoded again from channelWritabilityChanged
    }
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
    boolean partial = holdsPartialFrame();
    if (!partial || frames != before) {
      cancel();
    }
    if (partial && deadline == null) {
      deadline = ctx.executor().schedule((Runnable) ctx::close, readTimeoutNanos,
          TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Whether the buffer ends in an incomplete message. Whole messages held back for back-pressure
   * are not the client's delay: the idle timeout covers a peer that never reads.
   */
  private boolean holdsPartialFrame() {
    ByteBuf buf = internalBuffer();
    int at = buf.readerIndex();
    int left = buf.readableBytes();
    while (left >= 2) {
      int length = buf.getUnsignedShort(at) + 2;
      if (left < length) {
        return true;
      }
      at += length;
      left -= length;
    }
    return left > 0;
  }

  /**
   * While frames are held back, the base class would ask for another read when nothing was
   * decoded and auto-read is off, pulling the peer's whole stream into memory: skip that then.
   */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable()) {
      super.channelReadComplete(ctx);
    } else {
      discardSomeReadBytes();
      ctx.fireChannelReadComplete();
    }
  }

  /** The peer drained its answers: decode what was held back, then let reading resume. */
  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable() && internalBuffer().isReadable()) {
      channelRead(ctx, Unpooled.EMPTY_BUFFER);
      ctx.fireChannelReadComplete(); // flushes the answers just written
    }
    super.channelWritabilityChanged(ctx);
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
