package io.dnslb.health.check;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A real HTTP(S) backend on 127.0.0.x for check tests: answers with a settable status, or accepts
 * and never answers. Counts open connections so tests can prove probes close theirs.
 */
public final class TestBackend implements AutoCloseable {
  /** Status to answer with; 0 means accept and stay silent. */
  public final AtomicInteger status = new AtomicInteger(200);
  /** Body to answer with, and an X-Load header value (null: none). */
  public final java.util.concurrent.atomic.AtomicReference<String> body =
      new java.util.concurrent.atomic.AtomicReference<>("hello");
  public final java.util.concurrent.atomic.AtomicReference<String> load =
      new java.util.concurrent.atomic.AtomicReference<>();
  final AtomicInteger requests = new AtomicInteger();
  final Queue<String> hostHeaders = new ConcurrentLinkedQueue<>();
  final Queue<String> userAgents = new ConcurrentLinkedQueue<>();
  final Queue<String> sniNames = new ConcurrentLinkedQueue<>();
  final Queue<String> paths = new ConcurrentLinkedQueue<>();
  private final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final Channel server;

  /** A plain HTTP backend on address:port (port 0: any free port). */
  public TestBackend(EventLoopGroup group, String address, int port) {
    this(group, address, null, port);
  }

  public TestBackend(EventLoopGroup group, String address, SslContext tls) {
    this(group, address, tls, 0);
  }

  private TestBackend(EventLoopGroup group, String address, SslContext tls, int port) {
    server = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            open.add(ch);
            if (tls != null) {
              ch.pipeline().addLast(new SniHandler(name -> {
                sniNames.add(String.valueOf(name));
                return tls;
              }));
            }
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(4096), new Responder());
          }
        })
        .bind(new InetSocketAddress(address, port)).syncUninterruptibly().channel();
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  public int requestsFor(String path) {
    return (int) paths.stream().filter(path::equals).count();
  }

  /** Waits up to two seconds for the peer side of every probe connection to be closed. */
  public boolean allClosed() throws InterruptedException {
    return eventually(() -> open.isEmpty());
  }

  public static boolean eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    open.close().syncUninterruptibly();
  }

  private final class Responder extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      requests.incrementAndGet();
      paths.add(req.uri());
      hostHeaders.add(String.valueOf(req.headers().get(HttpHeaderNames.HOST)));
      userAgents.add(String.valueOf(req.headers().get(HttpHeaderNames.USER_AGENT)));
      int code = status.get();
      if (code == 0) {
        return;
      }
      var resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code),
          Unpooled.copiedBuffer(body.get(), java.nio.charset.StandardCharsets.UTF_8));
      resp.headers().set(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes());
      if (load.get() != null) {
        resp.headers().set("X-Load", load.get());
      }
      ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
