package io.dnslb.health.check;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.dnslb.config.ConfigError;
import io.dnslb.health.LoadSpec;
import io.dnslb.health.ProbeResult;
import io.dnslb.health.StatusCodes;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * GET {@code path} with {@code Host: host}; up when the status line's code is in {@code expect}.
 * Only the status line (and a load header) is read, unless the load figure is in the JSON body;
 * the connection is closed as soon as what is needed is known. With TLS, SNI is the host and the certificate chain and host name are verified
 * unless {@code tls-verify = false}. One deadline covers connect, handshake and response: one
 * timer per probe (the deadline closes the channel, which fails a connect still pending).
 */
public final class HttpCheck implements Check {
  public static final CheckType HTTP = new CheckType("http", true, Options.KEYS, Options::read,
      c -> new HttpCheck(c.group(), c.channelClass(), false, c.userAgent(), c.ticker()));
  public static final CheckType HTTPS = new CheckType("https", true, Options.KEYS, Options::read,
      c -> new HttpCheck(c.group(), c.channelClass(), true, c.userAgent(), c.ticker()));

  /**
   * An http(s) check's own keys. Defaults: path {@code /}, expect 200-399, tls-verify true
   * (https only reads it), no load figure.
   *
   * @param load where the backend reports its load; null when it does not
   */
  public record Options(String path, StatusCodes expect, boolean tlsVerify, LoadSpec load)
      implements CheckType.LoadOptions {
    static final Set<String> KEYS = Set.of("path", "expect", "tls-verify", "load");
    private static final Set<String> LOAD_KEYS = Set.of("header", "json", "low", "high");

    static Options read(Config check, Path probesDir, List<ConfigError> errors) {
      String path = CheckValues.string(check, "path", "/", errors);
      if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
        errors.add(CheckValues.error(check, "path",
            "check: path must start with / and contain no spaces or control characters"));
      }
      StatusCodes expect = check.hasPath("expect") ? expect(check, errors) : StatusCodes.DEFAULT;
      boolean tlsVerify = CheckValues.bool(check, "tls-verify", true, errors);
      LoadSpec load = null;
      if (check.hasPath("load")) {
        ConfigValue v = check.getValue("load");
        if (!(v instanceof ConfigObject block)) {
          errors.add(CheckValues.error(v.origin(),
              "check: load must be a block such as { header = \"X-Load\" }"));
        } else {
          try {
            load = load(block.toConfig(), v.origin());
          } catch (ConfigError e) {
            errors.add(e);
          } catch (ConfigException e) {
            errors.add(CheckValues.error(e.origin() != null ? e.origin() : v.origin(),
                "check: load: " + e.getMessage()));
          }
        }
      }
      return new Options(path, expect, tlsVerify, load);
    }

    private static StatusCodes expect(Config check, List<ConfigError> errors) {
      ConfigValue value = check.getValue("expect");
      List<ConfigValue> items = value.valueType() == ConfigValueType.LIST
          ? check.getList("expect") : List.of(value);
      if (items.isEmpty()) {
        errors.add(CheckValues.error(value.origin(), "expect: must list at least one status code or range"));
        return StatusCodes.DEFAULT;
      }
      List<StatusCodes.Range> ranges = new ArrayList<>();
      for (ConfigValue item : items) {
        if (item.valueType() != ConfigValueType.NUMBER && item.valueType() != ConfigValueType.STRING) {
          errors.add(CheckValues.error(item.origin(), "expect: elements must be status codes or strings like \"300-399\""));
          continue;
        }
        try {
          ranges.add(StatusCodes.parseRange(String.valueOf(item.unwrapped())));
        } catch (IllegalArgumentException e) {
          errors.add(CheckValues.error(item.origin(), e.getMessage()));
        }
      }
      return ranges.isEmpty() ? StatusCodes.DEFAULT : new StatusCodes(ranges);
    }

    private static LoadSpec load(Config load, ConfigOrigin where) throws ConfigError {
      for (String key : load.root().keySet()) {
        if (!LOAD_KEYS.contains(key)) {
          throw CheckValues.error(load.root().get(key).origin(), "check: load: unknown key \"" + key
              + "\" (known: header, json, low, high)");
        }
      }
      String header = load.hasPath("header") ? load.getString("header") : null;
      String json = load.hasPath("json") ? load.getString("json") : null;
      if ((header == null) == (json == null)) {
        throw CheckValues.error(where, "check: load needs exactly one of header = \"X-Load\" or json = \"field\"");
      }
      if (header != null && (header.isEmpty() || header.chars().anyMatch(c -> c <= ' ' || c == ':' || c >= 0x7f))) {
        throw CheckValues.error(load, "header", "check: load: header must be a header name");
      }
      if (json != null && (json.isEmpty() || json.indexOf('"') >= 0 || json.indexOf('\\') >= 0
          || json.chars().anyMatch(Character::isISOControl))) {
        throw CheckValues.error(load, "json", "check: load: json must be a field name");
      }
      double low = load.hasPath("low") ? load.getDouble("low") : LoadSpec.DEFAULT_LOW;
      double high = load.hasPath("high") ? load.getDouble("high") : LoadSpec.DEFAULT_HIGH;
      if (low < 0 || high > 100 || low >= high) {
        throw CheckValues.error(load.hasPath("low") ? load.getValue("low").origin() : where,
            "check: load: need 0 <= low < high <= 100 (low " + low + ", high " + high + ")");
      }
      return new LoadSpec(header, json, low, high);
    }
  }

  private final EventLoopGroup group;
  private final Class<? extends SocketChannel> channelClass;
  private final SslContext verifying;
  private final SslContext trusting;
  private final String userAgent;
  private final Ticker ticker;
  private final int defaultPort;

  /** @param tls true for https */
  HttpCheck(EventLoopGroup group, Class<? extends SocketChannel> channelClass, boolean tls,
      String userAgent, Ticker ticker) {
    this.group = group;
    this.ticker = ticker;
    this.userAgent = userAgent;
    this.channelClass = channelClass;
    this.defaultPort = tls ? 443 : 80;
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
    Options options = request.spec().options(Options.class);
    SslContext ssl = verifying == null ? null : options.tlsVerify() ? verifying : trusting;
    ChannelFuture connect = new Bootstrap()
        .group(group)
        .channel(channelClass)
        // no connect timer of Netty's (0 = none): the one deadline below covers the connect too
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0)
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
        () -> result.complete(Failures.timeout(timeout, ticker.nanos() - start)),
        timeout, TimeUnit.MILLISECONDS);
    connect.addListener((ChannelFuture f) -> {
      if (!f.isSuccess()) {
        result.complete(Failures.result(f.cause(), timeout, ticker.nanos() - start));
      } else if (ssl == null) {
        sendRequest(f.channel(), request);
      } else {
        f.channel().pipeline().get(SslHandler.class).handshakeFuture().addListener(h -> {
          if (h.isSuccess()) {
            sendRequest(f.channel(), request);
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

  private void sendRequest(Channel ch, ProbeRequest request) {
    var get = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
        request.spec().options(Options.class).path());
    String host = request.host().indexOf(':') >= 0 ? "[" + request.host() + "]" : request.host(); // IPv6 literal
    int port = request.spec().port();
    get.headers()
        .set(HttpHeaderNames.HOST, port == defaultPort ? host : host + ":" + port)
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
      Options options = request.spec().options(Options.class);
      LoadSpec load = options.load();
      if (msg instanceof HttpResponse response) {
        int code = response.status().code();
        long latency = ticker.nanos() - start;
        String reason = "HTTP " + code;
        head = options.expect().accepts(code)
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
