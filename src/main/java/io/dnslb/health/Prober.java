package io.dnslb.health;

import io.dnslb.health.check.CheckRegistry;
import io.dnslb.health.check.ProbeRequest;
import io.dnslb.observe.Metrics;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every target on its interval and feeds the results to one {@link HealthTracker} each;
 * the tracker's verdict goes to the target's row of the {@link HealthTable}, by key.
 *
 * <p>Socket probes run asynchronously on the shared event loops; exec probes on a small bounded
 * pool. Each target has at most one probe in flight: the next is scheduled when the last completes,
 * {@code interval} after it started plus up to 10% random jitter, so many members configured at
 * once do not probe in lockstep. New targets are probed at once.
 */
public final class Prober implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Prober.class);
  private static final int EXEC_THREADS = 4;
  private static final int EXEC_QUEUE = 64;

  private final EventLoopGroup group;
  private final CheckRegistry checks;
  private final ThreadPoolExecutor execPool;
  private final Metrics metrics;
  private final Clock clock;
  private final RandomGenerator random;
  private final HealthTable table;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** The state kept for one key across reloads. */
  private static final class Entry {
    volatile ProbeTarget target;
    final HealthTracker tracker;
    final CompletableFuture<Void> firstResult = new CompletableFuture<>();
    volatile ScheduledFuture<?> next;
    /** When the next probe is due (clock millis); 0 while one is running or before the first. */
    volatile long nextProbeAt;
    volatile boolean removed;

    Entry(ProbeTarget target, Clock clock) {
      this.target = target;
      this.tracker = new HealthTracker(target.spec().rise(), target.spec().fall(),
          target.spec().fastFail(), clock);
    }
  }

  /**
   * @param group shared event loops (the server's); probes never block them
   * @param channelClass client socket class matching {@code group}, e.g. EpollSocketChannel
   * @param probesDir the {@code health-probes/} directory exec checks run from
   * @param userAgent the User-Agent of HTTP(S) probes
   * @param table where verdicts go, by target key
   */
  public Prober(EventLoopGroup group, Class<? extends SocketChannel> channelClass, Path probesDir,
      String userAgent, Metrics metrics, Clock clock, RandomGenerator random, HealthTable table) {
    this.group = group;
    this.table = table;
    this.metrics = metrics;
    this.clock = clock;
    this.random = random;
    this.execPool = new ThreadPoolExecutor(EXEC_THREADS, EXEC_THREADS, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(EXEC_QUEUE), r -> {
          Thread t = new Thread(r, "dnslb-exec-probe");
          t.setDaemon(true);
          return t;
        });
    execPool.allowCoreThreadTimeOut(true);
    this.checks = new CheckRegistry(group, channelClass, probesDir, execPool, userAgent);
    metrics.execProbesKilled(checks::execProbesKilled);
  }

  /**
   * Replaces the set of targets. Keys that survive keep tracker state and history (their new spec
   * applies from the next probe); new keys are probed at once; missing keys stop.
   */
  public synchronized void setTargets(List<ProbeTarget> targets) {
    if (closed) {
      throw new IllegalStateException("prober is closed");
    }
    Map<String, ProbeTarget> wanted = new HashMap<>();
    for (ProbeTarget t : targets) {
      if (wanted.put(t.key(), t) != null) {
        throw new IllegalArgumentException("duplicate target key " + t.key());
      }
    }
    for (var it = entries.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!wanted.containsKey(e.getKey())) {
        stop(e.getValue());
        metrics.memberRemoved(e.getKey());
        it.remove();
      }
    }
    List<Entry> fresh = new ArrayList<>();
    wanted.forEach((key, target) -> {
      Entry existing = entries.get(key);
      if (existing != null) {
        existing.target = target;
        existing.tracker.setThresholds(target.spec().rise(), target.spec().fall(),
            target.spec().fastFail());
      } else {
        Entry e = new Entry(target, clock);
        entries.put(key, e);
        fresh.add(e);
      }
    });
    fresh.forEach(this::probe);
  }

  /**
   * Completes when every current target has its first result, or after the longest check timeout
   * (plus a little scheduling slack) at the latest, so start-up never hangs on a slow probe.
   */
  public CompletableFuture<Void> firstRound() {
    List<Entry> now = List.copyOf(entries.values());
    long longest = now.stream().mapToLong(e -> e.target.spec().timeout().toMillis()).max().orElse(0);
    return CompletableFuture.allOf(now.stream().map(e -> e.firstResult).toArray(CompletableFuture[]::new))
        .completeOnTimeout(null, longest + 250, TimeUnit.MILLISECONDS);
  }

  /** The tracker's view of one target, for /status; empty for unknown keys. */
  public Optional<TargetStatus> status(String key) {
    Entry e = entries.get(key);
    return e == null ? Optional.empty() : Optional.of(e.tracker.status());
  }

  /**
   * The earliest time (clock millis) at which this target's state could change: its next probe
   * plus one interval for each further result the change needs (jitter only adds to that), so
   * an answer cached until then cannot outlive the state it was built from. Long.MAX_VALUE for
   * targets whose state cannot change (type none) and for unknown keys; "now" while a probe runs.
   */
  public long earliestChangeMillis(String key) {
    Entry e = entries.get(key);
    if (e == null || !e.target.spec().probed()) {
      return Long.MAX_VALUE;
    }
    long next = e.nextProbeAt;
    long start = next == 0 ? clock.millis() : next;
    return start + (e.tracker.status().probesToChange() - 1) * e.target.spec().interval().toMillis();
  }

  /**
   * The factor the target's reported load puts on its weight (see {@link LoadSpec#factor}):
   * 1 when its check reads no load figure, or the backend sent none.
   */
  public double loadFactor(String key) {
    Entry e = entries.get(key);
    LoadSpec load = e == null ? null : e.target.spec().load();
    return load == null ? 1.0 : load.factor(e.tracker.status().load());
  }

  @Override
  public synchronized void close() {
    closed = true;
    entries.values().forEach(this::stop);
    entries.clear();
    execPool.shutdownNow();
  }

  private void stop(Entry e) {
    e.removed = true;
    ScheduledFuture<?> next = e.next;
    if (next != null) {
      next.cancel(false);
    }
  }

  private void probe(Entry e) {
    if (e.removed) {
      return;
    }
    e.nextProbeAt = 0;
    ProbeTarget t = e.target;
    CheckSpec spec = t.spec();
    String address = spec.address() != null ? spec.address() : t.memberAddress();
    String host = spec.host() != null ? spec.host() : t.defaultHost() != null ? t.defaultHost() : address;
    long started = System.nanoTime();
    CompletableFuture<ProbeResult> running;
    try {
      running = checks.get(spec.type()).probe(new ProbeRequest(t.pool(), address, host, spec));
    } catch (Throwable bug) {
      // a check that throws (an Error too) must not silently end this target's schedule
      running = CompletableFuture.failedFuture(bug);
    }
    running.whenComplete((result, error) -> {
      ProbeResult r = error == null ? result
          : ProbeResult.fail("probe error: " + error, System.nanoTime() - started);
      try {
        onResult(e, t, r);
      } catch (Throwable bug) {
        log.error("health {} {}: recording a probe result failed", t.pool(), t.memberAddress(),
            bug);
      } finally {
        scheduleNext(e, started); // whatever happened, the target keeps its schedule
      }
    });
  }

  private void onResult(Entry e, ProbeTarget t, ProbeResult r) {
    if (e.removed) {
      e.firstResult.complete(null);
      return;
    }
    metrics.checkResult(t.pool(), t.spec().type().name(), r.pass(), r.latencyNanos());
    HealthTracker.Transition change = e.tracker.record(r);
    if (change != null) {
      boolean up = change.to() == HealthState.UP;
      // A member without a check becomes up once, at start: not an event worth a line each.
      if (t.spec().probed() || change.from() != HealthState.UNKNOWN) {
        log.info("health {} {}: {} -> {} ({})", t.pool(), t.memberAddress(),
            change.from().label(), change.to().label(), change.reason());
      }
      metrics.stateChange(t.pool(), change.to().label());
      metrics.memberHealth(t.key(), t.pool(), t.memberAddress(), up);
      try {
        table.report(t.key(), change.to());
      } catch (Throwable ex) { // the prober must go on probing whatever a rebuild throws
        log.error("health table update for {} {} failed", t.pool(), t.memberAddress(), ex);
      }
    }
    e.firstResult.complete(null);
  }

  private void scheduleNext(Entry e, long startedNanos) {
    if (e.removed || closed) {
      return;
    }
    long intervalMs = e.target.spec().interval().toMillis();
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    long jitterMs = random.nextLong(intervalMs / 10 + 1);
    long delay = Math.max(0, intervalMs - elapsedMs) + jitterMs;
    e.nextProbeAt = clock.millis() + delay;
    try {
      e.next = group.next().schedule(() -> probe(e), delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
      // the event loops are stopping with the server; nothing left to probe for
    }
    if (e.removed) { // removed while we scheduled: do not leave the timer behind
      stop(e);
    }
  }
}
