package io.dnslb.health.check;

import io.dnslb.health.LoadSpec;
import io.dnslb.health.ProbeResult;
import io.dnslb.time.Ticker;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * GET {@code path} with {@code Host: host}; up when the status line's code is in {@code expect}.
 * Only the status line (and a load header) is read, unless the load figure is in the JSON body;
 * the connection is closed as soon as what is needed is known. With TLS, SNI is the host and the certificate chain and host name are verified
 * unless {@code tls-verify = false}. One deadline covers connect, handshake and response.
 */
final class HttpCheck implements Check {
  private final EventLoopGroup group;
  private final Class<? extends SocketChannel> channelClass;
  private final SslContext verifying;
  private final SslContext trusting;
  private final String userAgent;
  private final Ticker ticker;

  /** @param tls true for https */
  HttpCheck(EventLoopGroup group, Class<? extends SocketChannel> channelClass, boolean tls,
      String userAgent, Ticker ticker) {
    this.group = group;
    this.ticker = ticker;
    this.userAgent = userAgent;
    this.channelClass = channelClass;
    try {
      this.verifying = tls ? SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build() : null;
      this.trusting = tls ? SslContextBuilder.forClient().endpointIdentificationAlgorithm(null)
          .trustManager(InsecureTrustManagerFactory.INSTANCE).build() : null;
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS for https checks", e);
    }
  }

  @Override
  public CompletableFuture<ProbeResult> probe(ProbeRequest request) {
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    long start = ticker.nanos();
    long timeout = request.timeoutMillis();
    int port = request.spec().port();
    SslContext ssl = verifying == null ? null : request.spec().tlsVerify() ? verifying : trusting;
    ChannelFuture connect = new Bootstrap()
        .group(group)
        .channel(channelClass)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout))
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (ssl != null) {
              ch.pipeline().addLast(ssl.newHandler(ch.alloc(), request.host(), port));
            }
            ch.pipeline().addLast(new HttpClientCodec(), new StatusLineHandler(request, result, start, ticker));
          }
        })
        .connect(request.endpoint());
    Channel channel = connect.channel();
    var deadline = channel.eventLoop().schedule(
        () -> result.complete(ProbeResult.fail("timeout after " + timeout + " ms", ticker.nanos() - start)),
        timeout, TimeUnit.MILLISECONDS);
    connect.addListener((ChannelFuture f) -> {
      if (!f.isSuccess()) {
        result.complete(Failures.result(f.cause(), timeout, ticker.nanos() - start));
      } else if (ssl == null) {
        sendRequest(f.channel(), request, userAgent);
      } else {
        f.channel().pipeline().get(SslHandler.class).handshakeFuture().addListener(h -> {
          if (h.isSuccess()) {
            sendRequest(f.channel(), request, userAgent);
          } else {
            result.complete(ProbeResult.fail(Failures.reason(h.cause(), timeout), ticker.nanos() - start));
          }
        });
      }
    });
    // whatever finished the probe, the connection and the deadline go with it
    result.whenComplete((r, e) -> {
      deadline.cancel(false);
      channel.close();
    });
    return result;
  }

  private static void sendRequest(Channel ch, ProbeRequest request, String userAgent) {
    var get = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, request.spec().path());
    String host = request.host().indexOf(':') >= 0 ? "[" + request.host() + "]" : request.host(); // IPv6 literal
    int port = request.spec().port();
    boolean defaultPort = port == (request.spec().type() == CheckType.HTTPS ? 443 : 80);
    get.headers()
        .set(HttpHeaderNames.HOST, defaultPort ? host : host + ":" + port)
        .set(HttpHeaderNames.USER_AGENT, userAgent)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ch.writeAndFlush(get);
  }

  /**
   * Completes the probe on the first response head, or with a reason if the peer goes away
   * first. With {@code load { json = … }} the body is read too (up to {@link LoadSpec#MAX_BODY}).
   */
  private static final class StatusLineHandler extends SimpleChannelInboundHandler<HttpObject> {
    private final ProbeRequest request;
    private final CompletableFuture<ProbeResult> result;
    private final long start;
    private final Ticker ticker;
    private ProbeResult head;
    private StringBuilder body;

    StatusLineHandler(ProbeRequest request, CompletableFuture<ProbeResult> result, long start,
        Ticker ticker) {
      this.ticker = ticker;
      this.request = request;
      this.result = result;
      this.start = start;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      LoadSpec load = request.spec().load();
      if (msg instanceof HttpResponse response) {
        int code = response.status().code();
        long latency = ticker.nanos() - start;
        String reason = "HTTP " + code;
        head = request.spec().expect().accepts(code)
            ? ProbeResult.pass(reason, latency) : ProbeResult.fail(reason, latency);
        if (load != null && load.header() != null) {
          head = head.withLoad(LoadSpec.parse(response.headers().get(load.header())));
        }
        if (load == null || load.json() == null) {
          result.complete(head);
          return;
        }
        body = new StringBuilder();
      }
      if (msg instanceof HttpContent content && body != null) {
        if (body.length() < LoadSpec.MAX_BODY) {
          body.append(content.content().toString(StandardCharsets.UTF_8));
        }
        if (msg instanceof LastHttpContent || body.length() >= LoadSpec.MAX_BODY) {
          result.complete(head.withLoad(load.fromJson(body.toString())));
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (head != null) { // a body cut short: the status still counts, the figure is missing
        result.complete(head);
      }
      result.complete(ProbeResult.fail("connection closed before response", ticker.nanos() - start));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      result.complete(ProbeResult.fail(Failures.reason(cause, request.timeoutMillis()), ticker.nanos() - start));
    }
  }
}
