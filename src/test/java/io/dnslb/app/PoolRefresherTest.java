package io.dnslb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.answer.Catalog;
import io.dnslb.health.HealthTable;
import io.dnslb.health.ProbePriority;
import io.dnslb.health.Prober;
import io.dnslb.observe.Metrics;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolRuntime;
import io.dnslb.time.ManualTicker;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refresher's ticks over a real prober probing a real TCP listener on loopback. The ticker
 * stays still, so only probe results move a member's change time: with {@code fall = 10} at 1 s
 * and no fast-fail, an up member's auto TTL is 9 s (next probe 1 s ahead, 9 more results, less
 * the refresher's 1 s allowance) and each failure takes 1 s off.
 */
class PoolRefresherTest {
  static final String MEMBER = "127.0.0.61";

  @TempDir Path dir;
  final ManualTicker ticker = new ManualTicker();
  EventLoopGroup group;
  HealthTable table;
  Prober prober;
  ServerSocket backend;
  final AtomicReference<Catalog> current = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    table = new HealthTable(group.next());
    prober = new Prober(group, NioSocketChannel.class, dir, "dnslb/test", new Metrics(), ticker,
        ProbePriority.NORMAL, table);
    // the kernel completes the probes' handshakes into the backlog: no accept needed
    backend = new ServerSocket();
    backend.bind(new InetSocketAddress(InetAddress.getByName(MEMBER), 0), 64);
    Files.writeString(dir.resolve("t.test.zone"), "$ORIGIN t.test.\n$TTL 300\n"
        + "@ IN SOA ns1 hostmaster 1 3600 600 86400 60\n@ IN NS ns1\nns1 IN A 192.0.2.1\n");
    Files.writeString(dir.resolve("t.test.pools.conf"), "pools {\n"
        + "  auto {\n    names = [\"auto.t.test.\"]\n    ttl = auto\n    ttl-max = 60s\n"
        + "    check { type = tcp, port = " + backend.getLocalPort() + ", interval = 1s,"
        + " timeout = 500ms, rise = 1, fall = 10, fast-fail = false }\n"
        + "    members = [{ address = \"" + MEMBER + "\" }]\n  }\n}\n");
  }

  @AfterEach
  void stop() throws Exception {
    prober.close();
    backend.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Loads the directory as a reload does: new pools, bound, probed once, then current. */
  Catalog load() throws Exception {
    Catalog c = CatalogLoader.load(dir, 0, ticker);
    List<PoolRuntime> pools = c.pools().all().stream().map(p -> (PoolRuntime) p).toList();
    pools.forEach(p -> p.bind(table));
    prober.setTargets(ProbePlan.targets(c, dir));
    prober.firstRound().get(10, TimeUnit.SECONDS);
    table.rebind(pools);
    current.set(c);
    return c;
  }

  static long autoTtl(Catalog c) {
    for (Pool p : c.pools().all()) {
      if (p.id().equals("auto")) {
        return ((PoolRuntime) p).ttl(new int[] {0}, 1);
      }
    }
    throw new AssertionError("no pool auto");
  }

  /** Ticks until the auto pool's TTL is {@code wanted} or lower; returns the last TTL seen. */
  static long tickUntil(PoolRefresher refresher, Catalog c, long wanted) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    long ttl;
    do {
      refresher.run();
      ttl = autoTtl(c);
      Thread.sleep(20);
    } while (ttl > wanted && System.nanoTime() < deadline);
    return ttl;
  }

  @Test
  void aChangeTimeThatMovesMovesTheAutoTtlOnTheNextTick() throws Exception {
    Catalog c = load();
    PoolRefresher refresher = new PoolRefresher(current::get, prober, ticker::wallMillis);
    refresher.run();
    long up = autoTtl(c);
    assertTrue(up == 9 || up == 8, "up, 10 results from a change (8 while a probe runs): " + up);
    backend.close(); // refused from now on: one failure a second, nothing else changes
    // a tick between a result and the next probe's scheduling may see one second less
    long failing = tickUntil(refresher, c, 7);
    assertTrue(failing == 7 || failing == 6, "failures took seconds off: " + failing);
    failing = tickUntil(refresher, c, 5);
    assertTrue(failing == 5 || failing == 4, "and more with each failure: " + failing);
  }

  @Test
  void aReloadsNewPoolsAreRefreshedFromTheirFirstTick() throws Exception {
    Catalog first = load();
    PoolRefresher refresher = new PoolRefresher(current::get, prober, ticker::wallMillis);
    refresher.run();
    Catalog second = load(); // same member key: its prober state survives
    assertEquals(-1, autoTtl(second), "not refreshed yet: no auto TTL");
    refresher.run();
    long ttl = autoTtl(second);
    assertTrue(ttl == 9 || ttl == 8, "the new pool's members were read: " + ttl);
    assertTrue(autoTtl(first) >= 8, "the replaced pool keeps what it last had");
  }
}
