package io.dnslb.pool.policy;

import java.util.Arrays;

/**
 * The lowest priority number that has a candidate serves; inside that tier, choice is weighted.
 * Candidates are already the healthy ones, so a tier with every member down has dropped out.
 */
public final class FailoverPolicy implements Policy {
  private final WeightedPolicy withinTier = new WeightedPolicy();

  @Override
  public String name() {
    return "failover";
  }

  @Override
  public boolean usesClient() {
    return false;
  }

  @Override
  public Selector prepare(Candidate[] candidates, StickyPrefixes sticky) {
    return withinTier.prepare(reachable(candidates), sticky);
  }

  /** The serving tier. */
  @Override
  public Candidate[] reachable(Candidate[] candidates) {
    int top = Arrays.stream(candidates).mapToInt(Candidate::priority).min().orElseThrow();
    return Arrays.stream(candidates)
        .filter(c -> c.priority() == top)
        .toArray(Candidate[]::new);
  }
}
