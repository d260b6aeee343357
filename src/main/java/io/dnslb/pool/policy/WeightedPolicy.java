package io.dnslb.pool.policy;

import io.dnslb.wire.ClientSubnet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Random choice in proportion to weight. Each answer is one draw and a binary search over a
 * cumulative weight table built once per candidate set; further answers are drawn from the
 * members not yet chosen, still in proportion to weight (sampling without replacement).
 */
public final class WeightedPolicy implements Policy {
  /** Exists to pick a member: one address per answer unless the pool says more. */
  public static final PolicyType TYPE = PolicyType.plain("weighted", 1, new WeightedPolicy());

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
    int n = candidates.length;
    int[] members = new int[n];
    long[] cumulative = new long[n];
    long[] weights = Candidate.weights(candidates);
    long total = 0;
    for (int i = 0; i < n; i++) {
      members[i] = candidates[i].member();
      total += weights[i];
      cumulative[i] = total;
    }
    return new Draw(members, cumulative);
  }

  /**
   * Draws without replacement, each answer in proportion to the weights not yet chosen, in
   * O(k² log n) for k answers over n candidates, whatever n is (a linear scan per answer made
   * 16 answers over 10,000 members cost 160,000 steps a query). Answer j searches the cumulative
   * table with the weights already chosen subtracted: that adjusted table is still sorted, and
   * flat at chosen positions, so the search never lands on one.
   */
  private record Draw(int[] members, long[] cumulative) implements Selector {
    @Override
    public int select(ClientSubnet client, RandomGenerator random, int[] out, int limit) {
      int n = members.length;
      int count = Math.min(limit, n);
      long remaining = cumulative[n - 1];
      // out holds candidate positions until the end, then member indices: no allocation.
      for (int j = 0; j < count; j++) {
        int at = search(random.nextLong(remaining), out, j);
        out[j] = at;
        remaining -= weight(at);
      }
      for (int j = 0; j < count; j++) {
        out[j] = members[out[j]];
      }
      return count;
    }

    @Override
    public PolicyExplanation explain(ClientSubnet client, int answers) {
      int n = members.length;
      long total = cumulative[n - 1];
      List<PolicyExplanation.Ranked> ranking = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        double p = (double) weight(i) / total;
        ranking.add(new PolicyExplanation.Ranked(members[i], p,
            String.format("drawn first with probability %.1f%% (its weight over the candidates' total)", p * 100)));
      }
      ranking.sort(Comparator.comparingDouble(PolicyExplanation.Ranked::probability).reversed());
      String rule = "the first address drawn in proportion to weight"
          + (answers > 1 ? ", up to " + answers + " distinct ones per answer" : "");
      return new PolicyExplanation(rule, ranking, false, Map.of());
    }

    /** The first position whose cumulative weight, less the chosen ones', exceeds {@code r}. */
    private int search(long r, int[] chosen, int chosenCount) {
      int lo = 0;
      int hi = members.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (adjusted(mid, chosen, chosenCount) > r) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return lo;
    }

    private long adjusted(int at, int[] chosen, int chosenCount) {
      long sum = cumulative[at];
      for (int j = 0; j < chosenCount; j++) {
        if (chosen[j] <= at) {
          sum -= weight(chosen[j]);
        }
      }
      return sum;
    }

    private long weight(int i) {
      return i == 0 ? cumulative[0] : cumulative[i] - cumulative[i - 1];
    }
  }
}
