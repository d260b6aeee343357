package io.dnslb.health.check;

import com.typesafe.config.ConfigFactory;
import io.dnslb.health.CheckSpec;
import io.dnslb.health.ProbeResult;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Shared event loops, registry and helpers for tests that run checks against real sockets. */
abstract class ChecksFixture {
  static final String USER_AGENT = "dnslb/test (checks-fixture)";
  static EventLoopGroup group;
  static ThreadPoolExecutor execPool;

  @BeforeAll
  static void startLoops() {
    group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    execPool = new ThreadPoolExecutor(2, 2, 1, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4));
  }

  @AfterAll
  static void stopLoops() {
    execPool.shutdownNow();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  static CheckSpec spec(String hocon, Path probesDir) throws Exception {
    return CheckSpec.parse(ConfigFactory.parseString(hocon), probesDir);
  }

  static ProbeResult run(String hocon, String address) throws Exception {
    return run(hocon, address, Path.of("health-probes"));
  }

  static ProbeResult run(String hocon, String address, Path probesDir) throws Exception {
    CheckSpec spec = spec(hocon, probesDir);
    CheckRegistry registry = new CheckRegistry(group, NioSocketChannel.class, probesDir, execPool, USER_AGENT, io.dnslb.time.Ticker.SYSTEM);
    return registry.get(spec.type())
        .probe(ProbeRequest.of("web", address, "www.example.test", spec))
        .get(10, TimeUnit.SECONDS);
  }

  /** A port on which nothing listens: bound once, then released. */
  static int closedPort(String address) throws Exception {
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(address))) {
      return s.getLocalPort();
    }
  }
}
