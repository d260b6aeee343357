package io.dnslb.health;

/**
 * One member to probe.
 *
 * @param key stable identity across reloads (the pool model's member key); a target whose key
 *     survives {@link Prober#setTargets} keeps its state and counts
 * @param pool pool id, for logs, metrics and exec probes' {@code DNSLB_POOL}
 * @param memberAddress the member's IP literal, probed unless the spec names another address
 * @param defaultHost Host header and SNI when the spec has no {@code host} (the first pool name)
 * @param listener told once per state change
 */
public record ProbeTarget(
    String key, String pool, String memberAddress, CheckSpec spec, String defaultHost, HealthListener listener) {}
