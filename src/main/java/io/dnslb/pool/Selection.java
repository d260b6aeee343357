package io.dnslb.pool;

import io.dnslb.pool.policy.Selector;

/**
 * One pool's immutable answer state for a given health picture: what {@link PoolRuntime}
 * publishes with a single volatile write and each query reads once.
 *
 * @param ipv4 how to answer A queries
 * @param ipv6 how to answer AAAA queries
 */
record Selection(Family ipv4, Family ipv6) {

  /**
   * How to answer one address family.
   *
   * @param selector chooses members; null when the family has nothing to serve (NODATA) or
   *     the pool answers SERVFAIL
   * @param servfail every member is down and the pool is configured to SERVFAIL
   * @param serving members of this family that serve (health and admin allowing), before any
   *     fail-open: what a parent pool compares with {@code min-healthy}
   * @param eligible members of this family not taken out by admin
   */
  record Family(Selector selector, boolean servfail, int serving, int eligible) {
    static final Family NODATA = new Family(null, false, 0, 0);
  }
}
