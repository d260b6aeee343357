package io.dnslb.observe.http;

import io.dnslb.json.JsonWriter;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes GET / (the live page), /status, /v1/explain, /metrics and /healthz, and the admin API
 * under /v1/pools. One response per connection, then close: the clients are scrapers and
 * operators, and a closed connection cannot be held open to exhaust us.
 *
 * <p>Who may do what: with a token file, writes (and, with {@code protect-reads}, every read but
 * /healthz) need {@code Authorization: Bearer <token>}, else 401; without one, writes are taken
 * from loopback clients only (403 otherwise). Writes run on their own thread, since the store may
 * wait on the disk or on etcd and this event loop also runs the health probes.
 */
@ChannelHandler.Sharable
final class ObserveHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(ObserveHandler.class);
  private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  private static final String POOLS = "/v1/pools";
  private static final String MEMBERS = "/members/";

  private final StatusSource status;
  private final ExplainSource explain;
  private final Metrics metrics;
  private final BooleanSupplier serving;
  private final AdminApi admin;
  private final AdminTokens tokens;
  private final boolean protectReads;
  private final Executor writes;

  ObserveHandler(StatusSource status, ExplainSource explain, Metrics metrics,
      BooleanSupplier serving, AdminApi admin, AdminTokens tokens, boolean protectReads,
      Executor writes) {
    this.status = status;
    this.explain = explain;
    this.metrics = metrics;
    this.serving = serving;
    this.admin = admin;
    this.tokens = tokens;
    this.protectReads = protectReads;
    this.writes = writes;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (!req.decoderResult().isSuccess()) {
      send(ctx, HttpResponseStatus.BAD_REQUEST, "text/plain", "bad request\n");
      return;
    }
    String path = new QueryStringDecoder(req.uri()).path();
    if (path.equals(POOLS) || path.startsWith(POOLS + "/")) {
      admin(ctx, req, path);
      return;
    }
    if (protectReads && !path.equals("/healthz") && caller(ctx, req) == null) {
      unauthorized(ctx);
      return;
    }
    boolean known = path.equals("/status") || path.equals("/metrics") || path.equals("/healthz")
        || path.equals("/") || (path.equals("/v1/explain") && explain != null);
    if (!known) {
      send(ctx, HttpResponseStatus.NOT_FOUND, "text/plain", "not found; try /, /status, /v1/explain, /metrics or /healthz\n");
    } else if (!req.method().equals(HttpMethod.GET)) {
      send(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "only GET\n");
    } else {
      try {
        switch (path) {
          case "/status" -> send(ctx, HttpResponseStatus.OK, "application/json", StatusJson.encode(status.pools(), status.config(), status.cluster()));
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

  /** /v1/pools, /v1/pools/{pool}, /v1/pools/{pool}/members/{address}. */
  private void admin(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
    if (admin == null) {
      send(ctx, HttpResponseStatus.NOT_FOUND, "text/plain", "no admin API here\n");
      return;
    }
    String rest = path.substring(POOLS.length());
    String pool = null;
    String address = null;
    if (rest.startsWith("/")) {
      int m = rest.indexOf(MEMBERS);
      pool = m < 0 ? rest.substring(1) : rest.substring(1, m);
      address = m < 0 ? null : rest.substring(m + MEMBERS.length());
      if (pool.isEmpty() || pool.contains("/") || (address != null
          && (address.isEmpty() || address.contains("/")))) {
        json(ctx, new AdminApi.Reply(404, "{\"error\":\"no such resource\"}"));
        return;
      }
    }
    HttpMethod method = req.method();
    if (address == null) {
      if (!method.equals(HttpMethod.GET)) {
        send(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "only GET\n");
        return;
      }
      if (protectReads && caller(ctx, req) == null) {
        unauthorized(ctx);
        return;
      }
      json(ctx, pool == null ? admin.pools() : admin.pool(pool));
      return;
    }
    boolean put = method.equals(HttpMethod.PUT);
    if (!put && !method.equals(HttpMethod.DELETE)) {
      send(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "only PUT or DELETE\n");
      return;
    }
    String who = caller(ctx, req);
    if (who == null) {
      if (tokens != null) {
        unauthorized(ctx);
      } else {
        json(ctx, new AdminApi.Reply(403, "{\"error\":\"without dnslb.admin.token-file, "
            + "changes are accepted from loopback clients only\"}"));
      }
      return;
    }
    String body = req.content().toString(StandardCharsets.UTF_8);
    String member = address;
    String p = pool;
    try {
      writes.execute(() -> {
        AdminApi.Reply r;
        try {
          r = put ? admin.put(p, member, body, who) : admin.delete(p, member, who);
        } catch (RuntimeException e) {
          log.warn("{} {} failed", req.method(), path, e);
          r = new AdminApi.Reply(500, "{\"error\":\"internal error\"}");
        }
        json(ctx, r);
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      json(ctx, new AdminApi.Reply(503, "{\"error\":\"stopping\"}"));
    }
  }

  /**
   * Who is calling, for the audit log: the token's name (or the client address for a bare token),
   * or, without a token file, the address of a loopback client; null when not allowed to write.
   */
  private String caller(ChannelHandlerContext ctx, FullHttpRequest req) {
    SocketAddress remote = ctx.channel().remoteAddress();
    InetAddress ip = remote instanceof InetSocketAddress isa ? isa.getAddress() : null;
    String address = ip == null ? "unknown" : ip.getHostAddress();
    if (tokens == null) {
      return ip != null && ip.isLoopbackAddress() ? address : null;
    }
    String name = tokens.who(req.headers().get(HttpHeaderNames.AUTHORIZATION));
    return name == null ? null : name.isEmpty() ? address : name;
  }

  private static void unauthorized(ChannelHandlerContext ctx) {
    FullHttpResponse resp = response(HttpResponseStatus.UNAUTHORIZED, "application/json",
        "{\"error\":\"needs Authorization: Bearer <token> (dnslb.admin.token-file)\"}");
    resp.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
    ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
  }

  private static void json(ChannelHandlerContext ctx, AdminApi.Reply r) {
    send(ctx, HttpResponseStatus.valueOf(r.status()), "application/json", r.json() + "\n");
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
    FullHttpResponse resp = response(code, type, body);
    if (code == HttpResponseStatus.METHOD_NOT_ALLOWED) {
      resp.headers().set(HttpHeaderNames.ALLOW, "GET");
    }
    ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
  }

  private static FullHttpResponse response(HttpResponseStatus code, String type, String body) {
    FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, code,
        Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
    resp.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, type)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    return resp;
  }
}
