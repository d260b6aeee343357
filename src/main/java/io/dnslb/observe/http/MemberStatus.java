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
 */
public record MemberStatus(
    String address,
    int weight,
    int priority,
    String admin,
    String health,
    Instant lastChange,
    String lastReason,
    long lastLatencyNanos) {}
