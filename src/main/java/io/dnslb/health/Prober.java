package io.dnslb.health;

import io.dnslb.health.check.Check;
import io.dnslb.health.check.CheckRegistry;
import io.dnslb.health.check.ProbeRequest;
import io.dnslb.observe.Metrics;
import io.dnslb.time.Ticker;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.nio.file.Path;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every target on its interval and feeds the results to one {@link HealthTracker} each;
 * the tracker's verdict goes to the target's row of the {@link HealthTable}, by key.
 *
 * <p>Socket probes run asynchronously on the prober's own event loop ({@link ProbeLoop}, below
 * the DNS loops' priority); exec probes on a small bounded pool whose threads run at the same
 * priority. Each target has at most one probe in flight. New targets are probed at once; after
 * that each target probes at a fixed phase of its interval, the phases of all targets spread
 * evenly over the interval (golden-ratio sequence), so 10,000 members at 1 s make a steady 10 a
 * millisecond instead of a burst at each interval's start, and a reload that adds members does
 * not bunch them either.
 *
 * <p>What a probe costs is kept small because it runs 10,000 times a second beside the DNS loops:
 * the request (with its resolved address) and the metric counters are prepared once per target
 * and reload, a result that changes nothing touches only the tracker and two counters, and
 * nothing is logged unless the state changes.
 */
public final class Prober implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Prober.class);
  private static final int EXEC_THREADS = 4;
  private static final int EXEC_QUEUE = 64;

  private final EventLoopGroup group;
  private final CheckRegistry checks;
  private final ThreadPoolExecutor execPool;
  private final Metrics metrics;
  private final Ticker ticker;
  /** Where the phase grid starts (ticker nanos): the probes of a phase p run at origin + p + k·interval. */
  private final long origin;
  private long phases; // targets given a phase so far; guarded by this
  private final HealthTable table;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** The state kept for one key across reloads. */
  private static final class Entry implements TargetReadings {
    volatile ProbeTarget target;
    /** What each probe of the current target uses, prepared when the target is set. */
    volatile Plan plan;
    /**
     * The target's interval in millis (-1 when it is not probed) and where its backend reports
     * load (null: nowhere), set with the target, so that the refresher's reads for every member
     * twice a second ({@link TargetReadings}) touch no spec.
     */
    volatile long intervalMillis;
    volatile LoadSpec load;
    final HealthTracker tracker;
    private final Ticker ticker;
    /** This target's place in its interval, in [0, 1). */
    final double phase;
    final CompletableFuture<Void> firstResult = new CompletableFuture<>();
    volatile ScheduledFuture<?> next;
    /** When the next probe is due (wall millis); 0 while one is running or before the first. */
    volatile long nextProbeAt;
    volatile boolean removed;

    Entry(ProbeTarget target, Plan plan, double phase, Ticker ticker) {
      set(target, plan);
      this.phase = phase;
      this.ticker = ticker;
      this.tracker = new HealthTracker(target.spec().rise(), target.spec().fall(),
          target.spec().fastFail(), ticker);
    }

    void set(ProbeTarget target, Plan plan) {
      this.plan = plan;
      this.intervalMillis = target.spec().probed() ? target.spec().interval().toMillis() : -1;
      this.load = target.spec().load();
      this.target = target;
    }

    @Override
    public boolean readsLoad() {
      return !removed && load != null;
    }

    @Override
    public double loadFactor() {
      LoadSpec spec = removed ? null : load;
      return spec == null ? 1.0 : spec.factor(tracker.load());
    }

    @Override
    public long earliestChangeMillis() {
      long interval = intervalMillis;
      if (removed || interval < 0) {
        return Long.MAX_VALUE;
      }
      long next = nextProbeAt;
      long start = next == 0 ? ticker.wallMillis() : next;
      return start + (tracker.probesToChange() - 1) * interval;
    }
  }

  /** A target's probe, prepared once: the request, its check and its metric counters. */
  private record Plan(ProbeTarget target, ProbeRequest request, Check check,
      Metrics.CheckCounters counters) {}

  private Plan plan(ProbeTarget t) {
    CheckSpec spec = t.spec();
    String address = spec.address() != null ? spec.address() : t.memberAddress();
    String host = spec.host() != null ? spec.host() : t.defaultHost() != null ? t.defaultHost() : address;
    return new Plan(t, ProbeRequest.of(t.pool(), address, host, spec), checks.get(spec.type()),
        metrics.checkCounters(t.pool(), spec.type().name()));
  }

  /**
   * @param group event loops for socket probes and the schedule ({@link ProbeLoop}'s in the
   *     server); probes never block them
   * @param channelClass client socket class matching {@code group}, e.g. EpollSocketChannel
   * @param probesDir the {@code health-probes/} directory exec checks run from
   * @param userAgent the User-Agent of HTTP(S) probes
   * @param ticker the time source for latencies, schedules and the trackers' timestamps
   * @param priority how the exec probe threads (and so the programs they run) are scheduled
   * @param table where verdicts go, by target key
   */
  public Prober(EventLoopGroup group, Class<? extends SocketChannel> channelClass, Path probesDir,
      String userAgent, Metrics metrics, Ticker ticker, ProbePriority priority, HealthTable table) {
    this.group = group;
    this.table = table;
    this.metrics = metrics;
    this.ticker = ticker;
    this.origin = ticker.nanos();
    this.execPool = new ThreadPoolExecutor(EXEC_THREADS, EXEC_THREADS, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(EXEC_QUEUE), priority.lowering(r -> {
          Thread t = new Thread(r, "dnslb-exec-probe");
          t.setDaemon(true);
          return t;
        }));
    execPool.allowCoreThreadTimeOut(true);
    this.checks = new CheckRegistry(group, channelClass, probesDir, execPool, userAgent, ticker);
    metrics.execProbesKilled(checks::execProbesKilled);
  }

  /**
   * Replaces the set of targets. Keys that survive keep tracker state, history and phase (their
   * new spec applies from the next probe); new keys are probed at once; missing keys stop.
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
        if (!existing.target.equals(target)) {
          existing.set(target, plan(target));
        }
        existing.tracker.setThresholds(target.spec().rise(), target.spec().fall(),
            target.spec().fastFail());
      } else {
        Entry e = new Entry(target, plan(target), nextPhase(), ticker);
        entries.put(key, e);
        fresh.add(e);
      }
    });
    for (Entry e : fresh) { // on the probe loop, where every later probe of the target runs too
      try {
        group.next().execute(() -> probe(e));
      } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
        e.firstResult.complete(null);
      }
    }
  }

  private double nextPhase() {
    return phase(phases++);
  }

  /** The golden-ratio sequence: each new phase falls in the largest gap the others left. */
  static double phase(long n) {
    return (n * 0.6180339887498949) % 1.0;
  }

  /**
   * When a probe that started at {@code startedNanos} is followed (ticker nanos): the first time
   * on the target's phase grid at least half an interval later, which is exactly one interval
   * later in the steady state. The half interval bounds how soon the second probe of a new target
   * comes (its first ran at once, off the grid) and absorbs a late start.
   */
  static long nextStart(long origin, double phase, long intervalNanos, long startedNanos) {
    long offset = origin + (long) (phase * intervalNanos);
    long earliest = startedNanos + intervalNanos / 2;
    long periods = Math.floorDiv(earliest - offset + intervalNanos - 1, intervalNanos);
    return offset + periods * intervalNanos;
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
   * The factor the target's reported load puts on its weight (see {@link LoadSpec#factor}):
   * 1 when its check reads no load figure, or the backend sent none.
   */
  public double loadFactor(String key) {
    return readings(key).loadFactor();
  }

  /**
   * The target's live load factor and earliest change, found by key once (the refresher keeps
   * it per member of a loaded pool): {@link TargetReadings#NONE} for an unknown key.
   */
  public TargetReadings readings(String key) {
    Entry e = entries.get(key);
    return e == null ? TargetReadings.NONE : e;
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
    Plan plan = e.plan;
    ProbeTarget t = plan.target();
    long started = ticker.nanos();
    CompletableFuture<ProbeResult> running;
    try {
      running = plan.check().probe(plan.request());
    } catch (Throwable bug) {
      // a check that throws (an Error too) must not silently end this target's schedule
      running = CompletableFuture.failedFuture(bug);
    }
    running.whenComplete((result, error) -> {
      ProbeResult r = error == null ? result
          : ProbeResult.fail("probe error: " + error, ticker.nanos() - started);
      try {
        onResult(e, plan, r);
      } catch (Throwable bug) {
        log.error("health {} {}: recording a probe result failed", t.pool(), t.memberAddress(),
            bug);
      } finally {
        scheduleNext(e, started); // whatever happened, the target keeps its schedule
      }
    });
  }

  private void onResult(Entry e, Plan plan, ProbeResult r) {
    if (e.removed) {
      e.firstResult.complete(null);
      return;
    }
    ProbeTarget t = plan.target();
    plan.counters().record(r.pass(), r.latencyNanos());
    HealthTracker.Transition change = e.tracker.record(r);
    if (change != null) {
      boolean up = change.to() == HealthState.UP;
      // A first verdict of up is what start-up expects: 10,000 members would log 10,000 lines
      // in a burst on the probe thread, so only a change, or a member found down, gets a line.
      if (change.from() != HealthState.UNKNOWN || !up) {
        log.info("health {} {}: {} -> {} ({})", t.pool(), t.memberAddress(),
            change.from().label(), change.to().label(), change.reason());
      } else if (log.isDebugEnabled()) {
        log.debug("health {} {}: {} -> {} ({})", t.pool(), t.memberAddress(),
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
    if (!e.firstResult.isDone()) {
      e.firstResult.complete(null);
    }
  }

  private void scheduleNext(Entry e, long startedNanos) {
    if (e.removed || closed) {
      return;
    }
    long now = ticker.nanos();
    long delay = Math.max(0, nextStart(origin, e.phase, e.target.spec().interval().toNanos(),
        startedNanos) - now);
    e.nextProbeAt = ticker.wallMillis() + TimeUnit.NANOSECONDS.toMillis(delay);
    try {
      e.next = group.next().schedule(() -> probe(e), delay, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
      // the event loops are stopping with the server; nothing left to probe for
    }
    if (e.removed) { // removed while we scheduled: do not leave the timer behind
      stop(e);
    }
  }
}
