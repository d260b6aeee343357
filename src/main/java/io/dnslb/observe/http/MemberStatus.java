package io.dnslb.observe.http;

import java.time.Instant;

/**
 * One member in {@code /status}.
 *
 * @param admin the operator's setting, e.g. {@code enabled}, {@code drain}, {@code disabled}
 * @param health {@code up}, {@code down} or {@code unknown}
 * @param lastChange when health last changed; null before the first result
 * @param lastReason the last probe's reason, empty before the first result
 * @param lastLatencyNanos the last probe's duration; negative before the first result
 * @param effectiveWeight the weight it gets now: configured × slow-start ramp × load factor
 * @param ramp its slow-start fraction now (1: not ramping)
 * @param loadFactor the factor its backend's reported load puts on its weight (1: none)
 * @param answerShare its share of the pool's answers (as first address) over the last minute
 */
public record MemberStatus(
    String address,
    int weight,
    int priority,
    String admin,
    String health,
    Instant lastChange,
    String lastReason,
    long lastLatencyNanos,
    double effectiveWeight,
    double ramp,
    double loadFactor,
    double answerShare) {

  /** A member at full weight with no answers counted. */
  public MemberStatus(String address, int weight, int priority, String admin, String health,
      Instant lastChange, String lastReason, long lastLatencyNanos) {
    this(address, weight, priority, admin, health, lastChange, lastReason, lastLatencyNanos,
        weight, 1, 1, 0);
  }
}
