package io.dnslb.health;

import java.time.Clock;
import java.time.Instant;

/**
 * Owns the anti-flap rule for one target: after {@code rise} consecutive passes it is UP, after
 * {@code fall} consecutive failures DOWN; the first result after start decides at once, so a fresh
 * server does not wait rise × interval before answering. Thread-safe; never blocks for long.
 */
public final class HealthTracker {
  /** A change of state caused by one result; null from {@link #record} when nothing changed. */
  public record Transition(HealthState from, HealthState to, String reason) {}

  private final Clock clock;
  private int rise;
  private int fall;
  private HealthState state = HealthState.UNKNOWN;
  private int passesInRow;
  private int failuresInRow;
  private Instant lastChange;
  private String lastReason = "";
  private long lastLatencyNanos = -1;
  private Instant lastCheck;

  public HealthTracker(int rise, int fall, Clock clock) {
    this.clock = clock;
    setThresholds(rise, fall);
  }

  /** A hot reload may change rise and fall; the counts so far are kept. */
  public synchronized void setThresholds(int rise, int fall) {
    if (rise < 1 || fall < 1) {
      throw new IllegalArgumentException("rise and fall must be at least 1");
    }
    this.rise = rise;
    this.fall = fall;
  }

  public synchronized Transition record(ProbeResult result) {
    Instant now = clock.instant();
    lastCheck = now;
    lastReason = result.reason();
    lastLatencyNanos = result.latencyNanos();
    if (result.pass()) {
      passesInRow++;
      failuresInRow = 0;
    } else {
      failuresInRow++;
      passesInRow = 0;
    }
    HealthState next = next(result.pass());
    if (next == state) {
      return null;
    }
    Transition t = new Transition(state, next, result.reason());
    state = next;
    lastChange = now;
    return t;
  }

  private HealthState next(boolean pass) {
    if (state == HealthState.UNKNOWN) {
      return pass ? HealthState.UP : HealthState.DOWN;
    }
    if (pass && passesInRow >= rise) {
      return HealthState.UP;
    }
    if (!pass && failuresInRow >= fall) {
      return HealthState.DOWN;
    }
    return state;
  }

  public synchronized HealthState state() {
    return state;
  }

  public synchronized TargetStatus status() {
    return new TargetStatus(state, lastChange, lastReason, lastLatencyNanos, lastCheck);
  }
}
