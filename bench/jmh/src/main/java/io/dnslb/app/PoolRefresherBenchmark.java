package io.dnslb.app;

import io.dnslb.answer.Catalog;
import io.dnslb.health.HealthTable;
import io.dnslb.health.ProbeLoop;
import io.dnslb.health.ProbePriority;
import io.dnslb.health.Prober;
import io.dnslb.observe.Metrics;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolRuntime;
import io.dnslb.time.Ticker;
import io.netty.channel.epoll.Epoll;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One tick of the {@link PoolRefresher} (what the aux thread, which may share the DNS core, runs
 * every 500 ms) over 100 pools of 100 TCP-probed members, all up after one real probe round
 * against a loopback listener. The interval is an hour, so no probe runs while ticks are
 * measured: every tick sees steady members. Besides JMH's wall time per tick (distorted by
 * other work on a busy machine), each iteration prints the benchmark thread's CPU time per tick,
 * which other processes distort much less: for the quiet ticks and, apart, for every tenth tick,
 * which also takes the answer-count snapshot for the page's shares (the thread's CPU clock is
 * read around those only: a read is a system call of about a microsecond here).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PoolRefresherBenchmark {
  static final int POOLS = 100;
  static final int MEMBERS_PER_POOL = 100;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** The pools' {@code ttl}: {@code 20s} (fixed) or {@code auto}. */
  @Param({"20s", "auto"})
  public String ttl;

  private ServerSocket listener;
  private Thread acceptor;
  private ScheduledExecutorService scheduler;
  private ProbeLoop probeLoop;
  private Prober prober;
  private PoolRefresher refresher;
  /** Ticks since the refresher was made: the snapshot ticks are those where this % 10 == 0. */
  private long ticks;
  /** This iteration's: the thread's CPU clock at its start, and the snapshot ticks' CPU nanos. */
  private long cpuAtStart;
  private long snapshotCpu;
  private long iterationTicks;
  private long snapshots;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0), 4096);
    acceptor = new Thread(() -> {
      while (!listener.isClosed()) {
        try (Socket s = listener.accept()) {
          s.getLocalPort(); // accepted: the probe passed; closed at once
        } catch (Exception closed) {
          return;
        }
      }
    }, "bench-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
    Path dir = Files.createTempDirectory("dnslb-refresher-bench");
    Files.writeString(dir.resolve("bench.test.zone"), "$ORIGIN bench.test.\n$TTL 300\n"
        + "@ IN SOA ns1 hostmaster 1 3600 600 86400 60\n@ IN NS ns1\nns1 IN A 192.0.2.1\n");
    Files.writeString(dir.resolve("bench.test.pools.conf"), pools(listener.getLocalPort()));
    Catalog catalog = CatalogLoader.load(dir);
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "bench-health-table");
      t.setDaemon(true);
      return t;
    });
    HealthTable table = new HealthTable(scheduler);
    List<PoolRuntime> runtimes = catalog.pools().all().stream().map(p -> (PoolRuntime) p).toList();
    runtimes.forEach(p -> p.bind(table));
    probeLoop = new ProbeLoop(Epoll.isAvailable(), ProbePriority.NORMAL);
    prober = new Prober(probeLoop.group(), probeLoop.socketChannel(), dir, "bench", new Metrics(),
        Ticker.SYSTEM, ProbePriority.NORMAL, table);
    prober.setTargets(ProbePlan.targets(catalog, dir));
    prober.firstRound().get();
    table.rebind(runtimes);
    refresher = new PoolRefresher(() -> catalog, prober, Ticker.SYSTEM::wallMillis);
    for (Pool p : catalog.pools().all()) {
      if (!((PoolRuntime) p).health(0).name().equals("UP")) {
        throw new IllegalStateException("pool " + p.id() + " is not up: the listener missed probes");
      }
    }
  }

  private String pools(int port) {
    StringBuilder b = new StringBuilder("pools {\n");
    for (int p = 0; p < POOLS; p++) {
      b.append("  scale").append(p).append(" {\n    names = [\"s").append(p)
          .append(".bench.test.\"]\n    policy = round-robin\n    answers = 1\n    ttl = ")
          .append(ttl).append("\n    check { type = tcp, port = ").append(port)
          .append(", interval = 1h, timeout = 5s, rise = 2, fall = 3 }\n    members = [\n");
      for (int m = 0; m < MEMBERS_PER_POOL; m++) {
        int n = p * MEMBERS_PER_POOL + m + 1;
        b.append("      { address = \"127.1.").append(n / 256).append('.').append(n % 256)
            .append("\" }\n");
      }
      b.append("    ]\n  }\n");
    }
    return b.append("}\n").toString();
  }

  @Setup(Level.Iteration)
  public void startCounting() {
    snapshotCpu = 0;
    iterationTicks = 0;
    snapshots = 0;
    cpuAtStart = THREADS.getCurrentThreadCpuTime();
  }

  @TearDown(Level.Iteration)
  public void printCpu() {
    long all = THREADS.getCurrentThreadCpuTime() - cpuAtStart;
    System.out.printf(" [cpu us/tick: all %.1f, quiet %.1f, snapshot %.1f; %d ticks]",
        all / 1000.0 / iterationTicks,
        (all - snapshotCpu) / 1000.0 / (iterationTicks - snapshots),
        snapshotCpu / 1000.0 / snapshots, iterationTicks);
  }

  @Benchmark
  public void tick() {
    iterationTicks++;
    if (ticks++ % PoolRefresher.SNAPSHOT_EVERY != 0) {
      refresher.run();
      return;
    }
    long before = THREADS.getCurrentThreadCpuTime();
    refresher.run();
    snapshotCpu += THREADS.getCurrentThreadCpuTime() - before;
    snapshots++;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    prober.close();
    probeLoop.close();
    scheduler.shutdownNow();
    listener.close();
  }
}
