package io.dnslb.pool.policy;

import io.dnslb.wire.ClientSubnet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The lowest priority number that has a candidate serves; inside that tier, choice is weighted.
 * Candidates are already the healthy ones, so a tier with every member down has dropped out.
 */
public final class FailoverPolicy implements Policy {
  /** Exists to pick a member: one address per answer unless the pool says more. */
  public static final PolicyType TYPE = PolicyType.plain("failover", 1, new FailoverPolicy());

  private final WeightedPolicy withinTier = new WeightedPolicy();

  @Override
  public String name() {
    return TYPE.name();
  }

  @Override
  public boolean usesClient() {
    return false;
  }

  @Override
  public Selector prepare(Candidate[] candidates) {
    Candidate[] tier = reachable(candidates);
    int top = tier[0].priority();
    Map<Integer, String> lower = new HashMap<>();
    for (Candidate c : candidates) {
      if (c.priority() != top) {
        lower.put(c.member(), "priority " + c.priority() + ": tier " + top
            + " has a healthy member and serves first");
      }
    }
    return new Tier(top, withinTier.prepare(tier), lower);
  }

  /** The serving tier. */
  @Override
  public Candidate[] reachable(Candidate[] candidates) {
    int top = Arrays.stream(candidates).mapToInt(Candidate::priority).min().orElseThrow();
    return Arrays.stream(candidates)
        .filter(c -> c.priority() == top)
        .toArray(Candidate[]::new);
  }

  /** The serving tier's weighted selector, and what it says about the tiers left out. */
  private record Tier(int priority, Selector weighted, Map<Integer, String> lower)
      implements Selector {
    @Override
    public int select(ClientSubnet client, RandomGenerator random, int[] out, int limit) {
      return weighted.select(client, random, out, limit);
    }

    @Override
    public PolicyExplanation explain(ClientSubnet client, int answers) {
      PolicyExplanation inside = weighted.explain(client, answers);
      return new PolicyExplanation("tier " + priority + " (the lowest priority with a healthy "
          + "member) serves; inside it, " + inside.rule(), inside.ranking(), false, lower);
    }
  }
}
