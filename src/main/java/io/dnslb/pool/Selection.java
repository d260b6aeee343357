package io.dnslb.pool;

import io.dnslb.health.HealthState;
import io.dnslb.pool.policy.Selector;

/**
 * One pool's immutable answer state for a given health picture: what {@link PoolRuntime}
 * publishes with a single volatile write and each query reads once.
 *
 * @param health the member health (from the health table) this selection was built from, by
 *     member index
 * @param shares each member's share of its weight when this selection was built (slow start
 *     times reported load), by member index; 1 = full weight
 * @param ipv4 how to answer A queries
 * @param ipv6 how to answer AAAA queries
 */
record Selection(HealthState[] health, double[] shares, Family ipv4, Family ipv6) {

  /**
   * How to answer one address family.
   *
   * @param selector chooses members; null when the family has nothing to serve (NODATA)
   * @param servfail every member is down and the pool is configured to SERVFAIL
   * @param failedOpen every eligible member is down and the pool answers as if all were up
   */
  record Family(Selector selector, boolean servfail, boolean failedOpen) {
    static final Family NODATA = new Family(null, false, false);
    static final Family SERVFAIL = new Family(null, true, false);
  }
}
