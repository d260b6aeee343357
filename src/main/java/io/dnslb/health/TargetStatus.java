package io.dnslb.health;

import java.time.Instant;

/**
 * A consistent snapshot of one target for /status, explain and the health-aware TTL.
 * {@code lastChange} and {@code lastCheck} are null before the first result;
 * {@code lastLatencyNanos} is -1 then.
 *
 * @param load the smoothed load figure the backend reports (0-100), NaN when it reports none
 */
public record TargetStatus(
    HealthState state, Instant lastChange, String lastReason, long lastLatencyNanos, Instant lastCheck,
    int passesInRow, int failuresInRow, int rise, int fall, boolean fastFail, double load) {

  /**
   * How many more probe results at the least could change this target's state: for an UP
   * target the failures still missing to {@code fall} (one with fast-fail, since one refused
   * connection suffices), for a DOWN target the passes missing to {@code rise}; 1 while UNKNOWN.
   */
  public int probesToChange() {
    return probesToChange(state, fastFail, rise, fall, passesInRow, failuresInRow);
  }

  static int probesToChange(HealthState state, boolean fastFail, int rise, int fall,
      int passesInRow, int failuresInRow) {
    return switch (state) {
      case UNKNOWN -> 1;
      case UP -> fastFail ? 1 : Math.max(1, fall - failuresInRow);
      case DOWN -> Math.max(1, rise - passesInRow);
    };
  }
}
