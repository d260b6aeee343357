package io.dnslb.pool;

import io.dnslb.health.HealthState;
import io.dnslb.pool.policy.Selector;

/**
 * One pool's immutable answer state for a given health picture: what {@link PoolRuntime}
 * publishes with a single volatile write and each query reads once.
 *
 * @param overrides the operator overrides it was built with, by member index (null: none)
 * @param health the member health (from the health table) this selection was built from, by
 *     member index
 * @param shares each member's share of its weight when this selection was built (slow start
 *     times reported load), by member index; 1 = full weight
 * @param ipv4 how to answer A queries
 * @param ipv6 how to answer AAAA queries
 */
record Selection(MemberOverride[] overrides, HealthState[] health, double[] shares, Family ipv4,
    Family ipv6) {

  /**
   * How to answer one address family.
   *
   * @param selector chooses members; null when the family has nothing to serve (NODATA) or
   *     the pool answers SERVFAIL
   * @param servfail every member is down and the pool is configured to SERVFAIL
   * @param failingOpen every eligible member is down and the pool answers as if they were up
   * @param candidates member indices the selector may choose from (what the next answer can
   *     contain), for /status and the in-rotation gauge
   * @param serving members of this family that serve (health and admin allowing), before any
   *     fail-open: what a parent pool compares with {@code min-healthy}
   * @param eligible members of this family not taken out by admin
   */
  record Family(Selector selector, boolean servfail, boolean failingOpen, int[] candidates,
      int serving, int eligible) {
    static final Family NODATA = new Family(null, false, false, new int[0], 0, 0);
  }

  /** Whether an answer can contain the member now (it is among its family's candidates). */
  boolean inRotation(int memberIndex) {
    for (Family f : new Family[] {ipv4, ipv6}) {
      for (int c : f.candidates()) {
        if (c == memberIndex) {
          return true;
        }
      }
    }
    return false;
  }

  boolean failingOpen() {
    return ipv4.failingOpen() || ipv6.failingOpen();
  }
}
