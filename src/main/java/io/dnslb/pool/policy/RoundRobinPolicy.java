package io.dnslb.pool.policy;

import io.dnslb.wire.ClientSubnet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Every candidate (up to the answer limit), the order rotated by one per query, so each member
 * takes its turn first. Weights are ignored beyond the weight-0 rule, except that a candidate
 * below its full share (slow start, reported load) is left out of a matching share of answers.
 */
public final class RoundRobinPolicy implements Policy {
  /** Every healthy member, up to this many: what plain multi-address DNS answers. */
  static final int ANSWERS = 8;
  public static final PolicyType TYPE = PolicyType.plain("round-robin", ANSWERS,
      new RoundRobinPolicy());

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
    int[] members = new int[candidates.length];
    double[] shares = new double[candidates.length];
    boolean full = true;
    for (int i = 0; i < members.length; i++) {
      members[i] = candidates[i].member();
      shares[i] = candidates[i].share();
      full &= shares[i] == 1.0;
    }
    return new Rotation(members, full ? null : shares);
  }

  private static final class Rotation implements Selector {
    private final int[] members;
    /** Null when every candidate has its full share: then no random draw at all. */
    private final double[] shares;
    // Plain field, racy on purpose: two threads may read the same value and answer in the same
    // order once; a lock or CAS on every query costs more than that imprecision is worth.
    private int next;

    Rotation(int[] members, double[] shares) {
      this.members = members;
      this.shares = shares;
    }

    @Override
    public int select(ClientSubnet client, RandomGenerator random, int[] out, int limit) {
      int n = members.length;
      int start = Math.floorMod(next++, n);
      int most = Math.min(limit, n);
      if (shares == null) {
        for (int j = 0; j < most; j++) {
          out[j] = members[(start + j) % n];
        }
        return most;
      }
      int count = 0;
      for (int j = 0; j < n && count < most; j++) {
        int k = (start + j) % n;
        if (shares[k] == 1.0 || random.nextDouble() < shares[k]) {
          out[count++] = members[k];
        }
      }
      if (count == 0) { // every candidate ramping and none drawn: an answer is never empty
        out[count++] = members[start];
      }
      return count;
    }

    @Override
    public PolicyExplanation explain(ClientSubnet client, int answers) {
      int n = members.length;
      int start = Math.floorMod(next, n);
      List<PolicyExplanation.Ranked> ranking = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        int k = (start + j) % n;
        double share = shares == null ? 1.0 : shares[k];
        String why = j < answers ? "position " + (j + 1) + " in the next answer" : "beyond the "
            + answers + " addresses per answer this time";
        if (share < 1.0) {
          why += String.format(", in about %.0f%% of answers (below full share)", share * 100);
        }
        ranking.add(new PolicyExplanation.Ranked(members[k], 1.0 / n, why));
      }
      String rule = "every candidate up to " + answers + " per answer, the order rotated by one "
          + "per query";
      return new PolicyExplanation(rule, ranking, shares == null, Map.of());
    }
  }
}
