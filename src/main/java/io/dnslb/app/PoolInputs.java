package io.dnslb.app;

import io.dnslb.health.Prober;
import io.dnslb.health.TargetReadings;
import io.dnslb.pool.MemberConfig;
import io.dnslb.pool.PoolRuntime;
import java.util.Arrays;

/**
 * What {@link PoolRefresher} hands one pool each tick, read from the prober. The members'
 * readings are found by key once, when the pool is first refreshed (a reload builds new pools),
 * and the arrays are reused from tick to tick, so a tick allocates nothing and reads only what
 * the pool uses: load factors when some member's check reads a load figure, change times with
 * {@code ttl = auto}. Not thread-safe: one per pool per refreshing thread.
 */
final class PoolInputs {
  private final PoolRuntime runtime;
  /** By member index; {@link TargetReadings#NONE} for a pool member (its child is refreshed). */
  private final TargetReadings[] readings;
  private final boolean readsLoad;
  private final boolean ttlAuto;
  /** By member index: 1 until a member's check reads load, then its factor at the last tick. */
  private final double[] loadFactors;
  /** By member index: with {@code ttl = auto}, the change times at the last tick; else unread. */
  private final long[] changeAt;

  PoolInputs(PoolRuntime runtime, Prober prober) {
    this.runtime = runtime;
    var members = runtime.config().members();
    this.readings = new TargetReadings[members.size()];
    boolean load = false;
    for (MemberConfig m : members) {
      TargetReadings r = m.isPool() ? TargetReadings.NONE : prober.readings(m.key());
      readings[m.index()] = r;
      load |= r.readsLoad();
    }
    this.readsLoad = load;
    this.ttlAuto = runtime.config().ttlAuto();
    this.loadFactors = new double[readings.length];
    Arrays.fill(loadFactors, 1.0);
    this.changeAt = new long[readings.length];
    Arrays.fill(changeAt, Long.MAX_VALUE);
  }

  PoolRuntime runtime() {
    return runtime;
  }

  /**
   * Reads the members' current figures and hands them to the pool; nothing for a pool where
   * nothing can move (fixed TTL, no load figures, no slow start running), whose refresh would
   * change nothing, so a tick touches none of its per-member arrays.
   */
  void refresh(long now, long validForMillis) {
    if (!readsLoad && !ttlAuto && !runtime.ramping()) {
      return;
    }
    if (readsLoad) {
      for (int i = 0; i < readings.length; i++) {
        loadFactors[i] = readings[i].loadFactor();
      }
    }
    if (ttlAuto) {
      for (int i = 0; i < readings.length; i++) {
        changeAt[i] = readings[i].earliestChangeMillis();
      }
    }
    runtime.refresh(now, loadFactors, changeAt, validForMillis);
  }
}
