package io.dnslb.pool.policy;

import io.dnslb.wire.ClientSubnet;
import java.util.random.RandomGenerator;

/**
 * Every candidate (up to the answer limit), the order rotated by one per query, so each member
 * takes its turn first. Weights are ignored beyond the weight-0 rule.
 */
public final class RoundRobinPolicy implements Policy {
  @Override
  public String name() {
    return "round-robin";
  }

  @Override
  public boolean usesClient() {
    return false;
  }

  @Override
  public Selector prepare(Candidate[] candidates, StickyPrefixes sticky) {
    int[] members = new int[candidates.length];
    for (int i = 0; i < members.length; i++) {
      members[i] = candidates[i].member();
    }
    return new Rotation(members);
  }

  private static final class Rotation implements Selector {
    private final int[] members;
    // Plain field, racy on purpose: two threads may read the same value and answer in the same
    // order once; a lock or CAS on every query costs more than that imprecision is worth.
    private int next;

    Rotation(int[] members) {
      this.members = members;
    }

    @Override
    public int select(ClientSubnet client, RandomGenerator random, int[] out) {
      int n = members.length;
      int start = Math.floorMod(next++, n);
      int count = Math.min(out.length, n);
      for (int j = 0; j < count; j++) {
        out[j] = members[(start + j) % n];
      }
      return count;
    }
  }
}
