package io.dnslb.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.dnslb.health.check.TestBackend;
import io.dnslb.observe.Metrics;
import io.dnslb.time.Ticker;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The prober end to end against a real HTTP backend, with short intervals. */
class ProberTest {
  EventLoopGroup group;
  Metrics metrics;
  Prober prober;
  HealthTable table;
  TestBackend backend;
  /** "key up|down reason" for each change the table passes on to its readers. */
  final List<String> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    metrics = new Metrics();
    table = new HealthTable(group.next());
    prober = new Prober(group, NioSocketChannel.class, Path.of("health-probes"),
        "dnslb/test (prober-test)", metrics, Ticker.SYSTEM, ProbePriority.NORMAL, table);
    backend = new TestBackend(group, "127.0.0.8", null);
  }

  /**
   * Loads the HTTP client classes once so the short test timeouts measure the backend, not the
   * JVM's first Bootstrap on a loaded 2-core machine.
   */
  @BeforeAll
  static void warmUp() throws Exception {
    var test = new ProberTest();
    test.start();
    try {
      var spec = CheckSpec.parse(ConfigFactory.parseString("type = http, port = " + test.backend.port()),
          Path.of("health-probes"));
      test.prober.setTargets(List.of(new ProbeTarget("warm", "web", "127.0.0.8", spec, "x")));
      test.prober.firstRound().get(5, TimeUnit.SECONDS);
    } finally {
      test.stop();
    }
  }

  @AfterEach
  void stop() {
    prober.close();
    backend.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  ProbeTarget target(String key, String hocon) throws Exception {
    CheckSpec spec = CheckSpec.parse(ConfigFactory.parseString(
        "type = http, port = " + backend.port() + ", interval = 250ms, timeout = 200ms, rise = 2, fall = 2, " + hocon),
        Path.of("health-probes"));
    return new ProbeTarget(key, "web", "127.0.0.8", spec, "www.example.test");
  }

  /** Gives the keys rows in the table, read by one reader that logs their changes. */
  void watch(String... keys) {
    int[] slots = new int[keys.length];
    for (int i = 0; i < keys.length; i++) {
      slots[i] = table.slot(keys[i]);
    }
    HealthState[] seen = new HealthState[keys.length];
    java.util.Arrays.fill(seen, HealthState.UNKNOWN);
    table.rebind(List.of(new HealthTable.Reader() {
      @Override
      public int[] slots() {
        return slots;
      }

      @Override
      public synchronized void healthChanged() {
        for (int i = 0; i < keys.length; i++) {
          HealthState now = table.state(slots[i]);
          if (now != seen[i]) {
            seen[i] = now;
            events.add(keys[i] + " " + now.label() + " " + prober.status(keys[i]).map(TargetStatus::lastReason).orElse("(removed)"));
          }
        }
      }
    }));
  }

  /** The events once the table's batch has passed them on. */
  List<String> events() {
    table.flush();
    return events;
  }

  @Test
  void firstRoundSetsStateAtOnceThenFallAndRiseApply() throws Exception {
    watch("a");
    prober.setTargets(List.of(target("a", "")));
    prober.firstRound().get(2, TimeUnit.SECONDS);
    assertEquals(List.of("a up HTTP 200"), events());
    assertEquals(HealthState.UP, table.state(table.find("a")));
    assertEquals(HealthState.UP, prober.status("a").orElseThrow().state());

    backend.status.set(503);
    assertTrue(eventually(() -> events.size() == 2), "never went down");
    assertEquals("a down HTTP 503", events.get(1));
    TargetStatus down = prober.status("a").orElseThrow();
    assertEquals("HTTP 503", down.lastReason());
    assertTrue(down.lastLatencyNanos() > 0);

    backend.status.set(200);
    assertTrue(eventually(() -> events.size() == 3), "never came back");
    assertEquals("a up HTTP 200", events.get(2));
    String text = metrics.render();
    assertTrue(text.contains("dnslb_health_changes_total{pool=\"web\",to=\"down\"} 1"), text);
    assertTrue(text.contains("dnslb_member_up{pool=\"web\",member=\"127.0.0.8\"} 1"), text);
  }

  @Test
  void reloadKeepsSurvivorsStateAndStopsRemovedTargets() throws Exception {
    watch("a", "b");
    prober.setTargets(List.of(target("a", ""), target("b", "path = /b")));
    prober.firstRound().get(2, TimeUnit.SECONDS);
    var before = prober.status("a").orElseThrow();

    prober.setTargets(List.of(target("a", "rise = 3")));
    Thread.sleep(50);
    assertEquals(before.lastChange(), prober.status("a").orElseThrow().lastChange(), "reload reset the tracker");
    assertEquals(HealthState.UP, prober.status("a").orElseThrow().state());
    assertTrue(prober.status("b").isEmpty());
    assertEquals(2, events().size(), "reload must not report a change: " + events);

    int requestsToB = backend.requestsFor("/b");
    Thread.sleep(600);
    assertEquals(requestsToB, backend.requestsFor("/b"), "a removed target is still probed");
    assertTrue(backend.requestsFor("/") >= 3, "the surviving target stopped being probed");
  }

  @Test
  void firstRoundIsBoundedByTheLongestTimeout() throws Exception {
    backend.status.set(0); // accept, never answer
    watch("slow");
    prober.setTargets(List.of(target("slow", "")));
    long start = System.nanoTime();
    prober.firstRound().get(2, TimeUnit.SECONDS);
    assertTrue(System.nanoTime() - start < 1_000_000_000L);
    assertEquals(List.of("slow down timeout after 200 ms"), events());
  }

  static boolean eventually(java.util.function.BooleanSupplier c) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }
}
