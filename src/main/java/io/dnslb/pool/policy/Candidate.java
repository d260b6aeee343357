package io.dnslb.pool.policy;

/**
 * A member a policy may choose from, after health, admin state and the weight-0 rule were
 * applied.
 *
 * @param member the member's index in its pool (what selectors write out)
 * @param weight relative share as configured, at least 1
 * @param priority failover tier, 1 first
 * @param seed a well-mixed 64-bit hash of the member's address, for rendezvous hashing
 * @param share the fraction of its weight the member gets now, in (0, 1]: below 1 while it
 *     ramps up after a slow start or while its backend reports high load
 */
public record Candidate(int member, int weight, int priority, long seed, double share) {
  /** Effective weights are kept in thousandths of a configured weight unit. */
  static final int SCALE = 1000;

  public Candidate {
    if (weight < 1) {
      throw new IllegalArgumentException("candidate weight must be at least 1: " + weight);
    }
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("candidate share must be in (0, 1]: " + share);
    }
  }

  /** A candidate at its full configured weight. */
  public Candidate(int member, int weight, int priority, long seed) {
    this(member, weight, priority, seed, 1.0);
  }

  /** The weight it gets now: the configured weight times its share. */
  public double effectiveWeight() {
    return weight * share;
  }

  /**
   * Integer weights for a candidate set, proportional to {@link #effectiveWeight()}: the
   * configured weights themselves while every share is full (so the common case draws exactly
   * as before), else thousandths, at least 1.
   */
  public static long[] weights(Candidate[] candidates) {
    boolean full = true;
    for (Candidate c : candidates) {
      full &= c.share == 1.0;
    }
    long[] w = new long[candidates.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = full ? candidates[i].weight
          : Math.max(1, Math.round(candidates[i].effectiveWeight() * SCALE));
    }
    return w;
  }
}
