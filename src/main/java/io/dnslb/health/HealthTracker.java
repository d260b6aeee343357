package io.dnslb.health;

import io.dnslb.time.Ticker;
import java.time.Instant;

/**
 * Owns the anti-flap rule for one target: after {@code rise} consecutive passes it is UP, after
 * {@code fall} consecutive failures DOWN; the first result after start decides at once, so a fresh
 * server does not wait rise × interval before answering. With {@code fast-fail}, an unambiguous
 * failure (connection refused, unreachable) is DOWN at once; recovery still needs {@code rise}.
 * Also smooths the load figure the backend reports. Thread-safe; never blocks for long.
 */
public final class HealthTracker {
  /** A change of state caused by one result; null from {@link #record} when nothing changed. */
  public record Transition(HealthState from, HealthState to, String reason) {}

  /**
   * Weight of the newest load figure in the moving average: about four probes of memory, enough
   * that a backend whose load follows its share settles instead of chasing its own reports.
   */
  static final double LOAD_ALPHA = 0.3;

  private final Ticker ticker;
  private int rise;
  private int fall;
  private boolean fastFail;
  private HealthState state = HealthState.UNKNOWN;
  private int passesInRow;
  private int failuresInRow;
  /** Wall-clock millis of the last change and the last result; -1 before the first. */
  private long lastChange = -1;
  private String lastReason = "";
  private long lastLatencyNanos = -1;
  private long lastCheck = -1;
  /**
   * Written under the lock, read without it: the pools' refresher reads these two for every
   * member twice a second, on a thread that may share the DNS core, and a lock each is most of
   * that tick's cost.
   */
  private volatile double load = Double.NaN;
  private volatile int probesToChange;

  public HealthTracker(int rise, int fall, Ticker ticker) {
    this(rise, fall, false, ticker);
  }

  public HealthTracker(int rise, int fall, boolean fastFail, Ticker ticker) {
    this.ticker = ticker;
    setThresholds(rise, fall, fastFail);
  }

  /** A hot reload may change rise, fall and fast-fail; the counts so far are kept. */
  public synchronized void setThresholds(int rise, int fall, boolean fastFail) {
    if (rise < 1 || fall < 1) {
      throw new IllegalArgumentException("rise and fall must be at least 1");
    }
    this.rise = rise;
    this.fall = fall;
    this.fastFail = fastFail;
    countProbesToChange();
  }

  public synchronized Transition record(ProbeResult result) {
    long now = ticker.wallMillis(); // a long, not an Instant: this runs for every probe
    lastCheck = now;
    lastReason = result.reason();
    lastLatencyNanos = result.latencyNanos();
    if (result.pass()) {
      passesInRow++;
      failuresInRow = 0;
      // A pass without a figure: the backend stopped reporting, its weight goes back to as configured.
      load = Double.isNaN(result.load()) ? Double.NaN
          : Double.isNaN(load) ? result.load() : load + LOAD_ALPHA * (result.load() - load);
    } else {
      failuresInRow++;
      passesInRow = 0;
    }
    HealthState next = next(result);
    Transition t = null;
    if (next != state) {
      t = new Transition(state, next, result.reason());
      state = next;
      lastChange = now;
    }
    countProbesToChange();
    return t;
  }

  /** After any change of the figures it is made of; called holding the lock. */
  private void countProbesToChange() {
    probesToChange = TargetStatus.probesToChange(state, fastFail, rise, fall, passesInRow,
        failuresInRow);
  }

  private HealthState next(ProbeResult r) {
    if (state == HealthState.UNKNOWN) {
      return r.pass() ? HealthState.UP : HealthState.DOWN;
    }
    if (r.pass() && passesInRow >= rise) {
      return HealthState.UP;
    }
    if (!r.pass() && (failuresInRow >= fall || (fastFail && r.unambiguous()))) {
      return HealthState.DOWN;
    }
    return state;
  }

  public synchronized HealthState state() {
    return state;
  }

  public synchronized TargetStatus status() {
    return new TargetStatus(state, instant(lastChange), lastReason, lastLatencyNanos,
        instant(lastCheck), passesInRow, failuresInRow, rise, fall, fastFail, load);
  }

  /**
   * {@link TargetStatus#probesToChange} without the snapshot or the lock (the refresher asks
   * twice a second).
   */
  public int probesToChange() {
    return probesToChange;
  }

  /** The smoothed load figure, NaN when the backend reports none; without snapshot or lock. */
  public double load() {
    return load;
  }

  private static Instant instant(long millis) {
    return millis < 0 ? null : Instant.ofEpochMilli(millis);
  }
}
