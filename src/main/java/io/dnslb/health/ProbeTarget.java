package io.dnslb.health;

/**
 * One member to probe.
 *
 * @param key stable identity across reloads (the pool model's member key, the health table's
 *     row); a target whose key survives {@link Prober#setTargets} keeps its state and counts
 * @param pool pool id, for logs, metrics and exec probes' {@code DNSLB_POOL}
 * @param memberAddress the member's IP literal, probed unless the spec names another address
 * @param defaultHost Host header and SNI when the spec has no {@code host} (the first pool name);
 *     null means the probed address
 */
public record ProbeTarget(
    String key, String pool, String memberAddress, CheckSpec spec, String defaultHost) {
  public ProbeTarget {
    java.util.Objects.requireNonNull(key, "key");
    java.util.Objects.requireNonNull(pool, "pool");
    java.util.Objects.requireNonNull(memberAddress, "memberAddress");
    java.util.Objects.requireNonNull(spec, "spec");
  }
}
