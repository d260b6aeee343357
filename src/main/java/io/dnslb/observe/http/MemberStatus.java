package io.dnslb.observe.http;

import java.time.Instant;

/**
 * One member in {@code /status}.
 *
 * @param admin the file's admin setting: {@code none}, {@code up}, {@code down} or {@code drain}
 * @param health {@code up}, {@code down} or {@code unknown}
 * @param lastChange when health last changed; null before the first result
 * @param lastReason the last probe's reason, empty before the first result
 * @param lastLatencyNanos the last probe's duration; negative before the first result or when the
 *     member is not checked at all
 * @param inRotation whether the next answer can contain it (health, admin state and policy)
 * @param adminSource who set the admin state (FILE:LINE of the pool file), null when not set
 * @param adminReason why, when the source gave a reason, else null
 * @param override the runtime override (admin API) in force, e.g. {@code drain by ops until
 *     2026-12-05T20:00:00Z}, or null
 * @param effectiveWeight the weight it gets now: the weight it serves under (the override's,
 *     else the file's) × slow-start ramp × load factor
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
    boolean inRotation,
    String adminSource,
    String adminReason,
    String override,
    double effectiveWeight,
    double ramp,
    double loadFactor,
    double answerShare) {

  /** A member without rotation, admin or override details: in rotation when up, at full weight. */
  public MemberStatus(String address, int weight, int priority, String admin, String health,
      Instant lastChange, String lastReason, long lastLatencyNanos) {
    this(address, weight, priority, admin, health, lastChange, lastReason, lastLatencyNanos,
        "up".equals(health), null, null, null, weight, 1, 1, 0);
  }

  /** As the main constructor, at full weight with no answers counted. */
  public MemberStatus(String address, int weight, int priority, String admin, String health,
      Instant lastChange, String lastReason, long lastLatencyNanos, boolean inRotation,
      String adminSource, String adminReason) {
    this(address, weight, priority, admin, health, lastChange, lastReason, lastLatencyNanos,
        inRotation, adminSource, adminReason, null, weight, 1, 1, 0);
  }
}
