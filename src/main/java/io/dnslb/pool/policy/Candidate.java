package io.dnslb.pool.policy;

/**
 * A member a policy may choose from, after health, admin state and the weight-0 rule were
 * applied.
 *
 * @param member the member's index in its pool (what selectors write out)
 * @param weight relative share, at least 1
 * @param priority failover tier, 1 first
 * @param seed a well-mixed 64-bit hash of the member's address, for rendezvous hashing
 */
public record Candidate(int member, int weight, int priority, long seed) {
  public Candidate {
    if (weight < 1) {
      throw new IllegalArgumentException("candidate weight must be at least 1: " + weight);
    }
  }
}
