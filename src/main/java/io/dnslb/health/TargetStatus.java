package io.dnslb.health;

import java.time.Instant;

/**
 * A consistent snapshot of one target for /status. {@code lastChange} and {@code lastCheck} are null
 * before the first result; {@code lastLatencyNanos} is -1 then.
 */
public record TargetStatus(
    HealthState state, Instant lastChange, String lastReason, long lastLatencyNanos, Instant lastCheck) {}
