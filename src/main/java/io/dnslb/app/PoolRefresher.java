package io.dnslb.app;

import io.dnslb.answer.Catalog;
import io.dnslb.health.Prober;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolRuntime;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Every {@link #PERIOD_MILLIS}, hands each pool what changes with time and with the backends'
 * reports (slow-start ramps, load factors, when each member could next change state for
 * {@code ttl = auto}), so the pools rebuild their selections and TTLs off the query path.
 * Also keeps a minute of answer counts per member, for the share shown on the page.
 *
 * <p>A tick costs what the pools use, not a lookup per member: each catalog's members are
 * resolved to the prober's readings once ({@link PoolInputs}), and a pool with a fixed TTL whose
 * members report no load reads nothing from the prober (only its ramps, if any, move).
 */
final class PoolRefresher implements Runnable {
  /**
   * Short enough that a ramp moves in small steps and an auto TTL is little stale; long enough
   * to cost nothing next to the probes.
   */
  static final long PERIOD_MILLIS = 500;
  /**
   * How long the TTLs computed at one tick may be written into answers: until the next tick,
   * plus one more period for a tick that runs late on a busy machine (a TTL used past this
   * could outlive the state it was built from). Subtracted from the time to the next change.
   */
  static final long VALID_FOR_MILLIS = 2 * PERIOD_MILLIS;
  static final int SNAPSHOT_EVERY = 10; // ticks: one snapshot each 5 s
  private static final int SNAPSHOTS = 13; // 12 intervals: one minute

  private final Supplier<Catalog> catalog;
  private final Prober prober;
  private final LongSupplier clock;
  private final Map<PoolRuntime, ArrayDeque<long[]>> history = new ConcurrentHashMap<>();
  private long ticks;
  /** The catalog {@link #inputs} were resolved for; both touched only by {@link #run}. */
  private Catalog resolved;
  private PoolInputs[] inputs;

  PoolRefresher(Supplier<Catalog> catalog, Prober prober, LongSupplier clock) {
    this.catalog = catalog;
    this.prober = prober;
    this.clock = clock;
  }

  @Override
  public void run() {
    long now = clock.getAsLong();
    Catalog c = catalog.get();
    if (c != resolved) {
      resolve(c);
    }
    boolean snapshot = ticks++ % SNAPSHOT_EVERY == 0;
    for (PoolInputs in : inputs) {
      in.refresh(now, VALID_FOR_MILLIS);
      if (snapshot) {
        PoolRuntime runtime = in.runtime();
        ArrayDeque<long[]> ring = history.computeIfAbsent(runtime, r -> new ArrayDeque<>());
        synchronized (ring) {
          ring.addLast(runtime.firstCounts());
          while (ring.size() > SNAPSHOTS) {
            ring.removeFirst();
          }
        }
      }
    }
  }

  /** A new catalog (a reload): its members' readings, once; the replaced pools' counts go. */
  private void resolve(Catalog c) {
    List<Pool> pools = c.pools().all();
    inputs = pools.stream().map(p -> new PoolInputs((PoolRuntime) p, prober))
        .toArray(PoolInputs[]::new);
    history.keySet().removeIf(r -> !pools.contains(r));
    resolved = c;
  }

  /** One pool's refresh outside the ticks: a reload's new pools, before they are published. */
  void refresh(PoolRuntime runtime, long now) {
    new PoolInputs(runtime, prober).refresh(now, VALID_FOR_MILLIS);
  }

  /**
   * Each member's share of the pool's answers (as first address) over about the last minute,
   * by member index; all 0 before any answer.
   */
  double[] lastMinuteShares(PoolRuntime runtime) {
    long[] now = runtime.firstCounts();
    long[] then = new long[now.length];
    ArrayDeque<long[]> ring = history.get(runtime);
    if (ring != null) {
      synchronized (ring) {
        if (!ring.isEmpty()) {
          then = ring.peekFirst();
        }
      }
    }
    long total = 0;
    for (int i = 0; i < now.length; i++) {
      total += now[i] - then[i];
    }
    double[] shares = new double[now.length];
    for (int i = 0; i < now.length && total > 0; i++) {
      shares[i] = (double) (now[i] - then[i]) / total;
    }
    return shares;
  }
}
