package io.dnslb.observe.http;

import io.dnslb.observe.Metrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes GET / (the live page), /status, /v1/explain, /metrics and /healthz. One response per connection, then close: the clients
 * are scrapers and operators, and a closed connection cannot be held open to exhaust us.
 */
@ChannelHandler.Sharable
final class ObserveHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(ObserveHandler.class);
  private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  private final StatusSource status;
  private final ExplainSource explain;
  private final Metrics metrics;
  private final BooleanSupplier serving;

  ObserveHandler(StatusSource status, ExplainSource explain, Metrics metrics,
      BooleanSupplier serving) {
    this.status = status;
    this.explain = explain;
    this.metrics = metrics;
    this.serving = serving;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (!req.decoderResult().isSuccess()) {
      send(ctx, HttpResponseStatus.BAD_REQUEST, "text/plain", "bad request\n");
      return;
    }
    String path = req.uri();
    int q = path.indexOf('?');
    path = q < 0 ? path : path.substring(0, q);
    boolean known = path.equals("/status") || path.equals("/metrics") || path.equals("/healthz")
        || path.equals("/") || (path.equals("/v1/explain") && explain != null);
    if (!known) {
      send(ctx, HttpResponseStatus.NOT_FOUND, "text/plain", "not found; try /, /status, /v1/explain, /metrics or /healthz\n");
    } else if (!req.method().equals(HttpMethod.GET)) {
      send(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "only GET\n");
    } else {
      try {
        switch (path) {
          case "/status" -> send(ctx, HttpResponseStatus.OK, "application/json", StatusJson.encode(status.pools(), status.config()));
          case "/metrics" -> send(ctx, HttpResponseStatus.OK, PROMETHEUS, metrics.render());
          case "/" -> send(ctx, HttpResponseStatus.OK, "text/html; charset=utf-8", LivePage.html());
          case "/v1/explain" -> explain(ctx, new QueryStringDecoder(req.uri()).parameters());
          default -> {
            boolean up = serving.getAsBoolean();
            send(ctx, up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain",
                up ? "ok\n" : "not serving\n");
          }
        }
      } catch (RuntimeException e) {
        log.warn("GET {} failed", path, e);
        send(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "text/plain", "internal error\n");
      }
    }
  }

  private void explain(ChannelHandlerContext ctx, Map<String, List<String>> params) {
    try {
      send(ctx, HttpResponseStatus.OK, "application/json", JsonWriter.write(explain.explain(
          param(params, "name"), param(params, "type"), param(params, "client"), param(params, "ecs"))));
    } catch (IllegalArgumentException e) {
      send(ctx, HttpResponseStatus.BAD_REQUEST, "application/json",
          JsonWriter.write(Map.of("error", String.valueOf(e.getMessage()))));
    }
  }

  private static String param(Map<String, List<String>> params, String key) {
    List<String> v = params.get(key);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  private static void send(ChannelHandlerContext ctx, HttpResponseStatus code, String type, String body) {
    FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, code,
        Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
    resp.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, type)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    if (code == HttpResponseStatus.METHOD_NOT_ALLOWED) {
      resp.headers().set(HttpHeaderNames.ALLOW, "GET");
    }
    ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
  }
}
