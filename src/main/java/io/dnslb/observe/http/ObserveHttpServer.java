package io.dnslb.observe.http;

import io.dnslb.observe.Metrics;
import io.netty.bootstrap.ServerBootstrap;
import io.dnslb.config.HostPort;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The observability endpoint: {@code GET /status} (JSON), {@code /metrics} (Prometheus) and
 * {@code /healthz} (200 while serving, else 503). Default bind 127.0.0.1:8053.
 *
 * <p>Bounded: request lines over 2 KiB get 400, headers over 8 KiB 400, bodies over 4 KiB 413;
 * idle connections are dropped after 10 s, a request not complete 5 s after its first byte too;
 * at most {@value #MAX_CONNECTIONS} connections, {@value #MAX_CONNECTIONS_PER_CLIENT} from one
 * address (see {@link HttpLimits}).
 */
public final class ObserveHttpServer implements AutoCloseable {
  public static final InetSocketAddress DEFAULT_BIND = new InetSocketAddress("127.0.0.1", 8053);
  private static final int MAX_LINE = 2048;
  private static final int MAX_HEADERS = 8192;
  private static final int MAX_BODY = 4096;
  public static final int MAX_CONNECTIONS = 128;
  static final int MAX_CONNECTIONS_PER_CLIENT = 16;
  static final long REQUEST_DEADLINE_MILLIS = 5000;

  private final EventLoopGroup group;
  private final Class<? extends ServerChannel> channelClass;
  private final ObserveHandler handler;
  private final HttpLimits.Connections connections =
      new HttpLimits.Connections(MAX_CONNECTIONS, MAX_CONNECTIONS_PER_CLIENT);
  /** Admin writes wait on the store; one at a time, off the event loop. */
  private final ExecutorService writes = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "dnslb-admin");
    t.setDaemon(true);
    return t;
  });
  private Channel channel;

  /**
   * @param channelClass server socket class matching {@code group}, e.g. EpollServerSocketChannel
   * @param serving true while config is loaded and DNS is being served
   */
  public ObserveHttpServer(EventLoopGroup group, Class<? extends ServerChannel> channelClass,
      StatusSource status, Metrics metrics, BooleanSupplier serving) {
    this(group, channelClass, status, null, metrics, serving, null, null, false);
  }

  /** @param explain answers /v1/explain; null: 404 there */
  public ObserveHttpServer(EventLoopGroup group, Class<? extends ServerChannel> channelClass,
      StatusSource status, ExplainSource explain, Metrics metrics, BooleanSupplier serving) {
    this(group, channelClass, status, explain, metrics, serving, null, null, false);
  }

  /**
   * @param explain answers /v1/explain; null: 404 there
   * @param admin the admin API under /v1/pools, or null for none
   * @param tokens the admin tokens, or null: then writes come from loopback clients only
   * @param protectReads with tokens, every read but /healthz needs a token too
   */
  public ObserveHttpServer(EventLoopGroup group, Class<? extends ServerChannel> channelClass,
      StatusSource status, ExplainSource explain, Metrics metrics, BooleanSupplier serving,
      AdminApi admin, AdminTokens tokens, boolean protectReads) {
    this.group = group;
    this.channelClass = channelClass;
    this.handler = new ObserveHandler(status, explain, metrics, serving, admin, tokens,
        protectReads && tokens != null, writes);
  }

  /**
   * Binds and returns the bound address (useful with port 0).
   *
   * @throws BindException naming the address and why (in use, no permission)
   */
  public synchronized InetSocketAddress start(InetSocketAddress bind) throws InterruptedException,
      BindException {
    if (channel != null) {
      throw new IllegalStateException("already started");
    }
    ChannelFuture bound = new ServerBootstrap()
        .group(group)
        .channel(channelClass)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(
                connections,
                new HttpLimits.RequestDeadline(REQUEST_DEADLINE_MILLIS),
                new ReadTimeoutHandler(10),
                new HttpServerCodec(MAX_LINE, MAX_HEADERS, 8192),
                new HttpObjectAggregator(MAX_BODY),
                handler);
          }
        })
        .bind(bind).await();
    if (!bound.isSuccess()) {
      String reason = String.valueOf(bound.cause().getMessage()).replaceFirst(
          "^bind\\(\\.\\.\\) failed with error\\(-?\\d+\\): ", "");
      throw new BindException("cannot listen on " + HostPort.format(bind) + "/http: " + reason);
    }
    channel = bound.channel();
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public synchronized void close() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
      channel = null;
    }
    writes.shutdown();
  }
}
