package io.dnslb.pool;

import io.dnslb.pool.policy.Selector;

/**
 * One pool's immutable answer state for a given health picture: what {@link PoolRuntime}
 * publishes with a single volatile write and each query reads once.
 *
 * @param overrides the operator overrides it was built with, by member index (null: none)
 * @param ipv4 how to answer A queries
 * @param ipv6 how to answer AAAA queries
 */
record Selection(MemberOverride[] overrides, Family ipv4, Family ipv6) {

  /**
   * How to answer one address family.
   *
   * @param selector chooses members; null when the family has nothing to serve (NODATA)
   * @param servfail every member is down and the pool is configured to SERVFAIL
   */
  record Family(Selector selector, boolean servfail) {
    static final Family NODATA = new Family(null, false);
    static final Family SERVFAIL = new Family(null, true);
  }
}
