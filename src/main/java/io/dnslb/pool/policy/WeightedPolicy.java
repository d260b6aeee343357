package io.dnslb.pool.policy;

import io.dnslb.wire.ClientSubnet;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Random choice in proportion to weight. The first answer is one draw and a binary search over
 * a cumulative weight table built once per candidate set; further answers are drawn from the
 * members not yet chosen, still in proportion to weight (sampling without replacement).
 */
public final class WeightedPolicy implements Policy {
  @Override
  public String name() {
    return "weighted";
  }

  @Override
  public Selector prepare(Candidate[] candidates, StickyPrefixes sticky) {
    int n = candidates.length;
    int[] members = new int[n];
    long[] cumulative = new long[n];
    long total = 0;
    for (int i = 0; i < n; i++) {
      members[i] = candidates[i].member();
      total += candidates[i].weight();
      cumulative[i] = total;
    }
    return new Draw(members, cumulative);
  }

  private record Draw(int[] members, long[] cumulative) implements Selector {
    @Override
    public int select(ClientSubnet client, RandomGenerator random, int[] out) {
      int n = members.length;
      long total = cumulative[n - 1];
      // First index whose cumulative weight exceeds the draw.
      int found = Arrays.binarySearch(cumulative, random.nextLong(total) + 1);
      int first = found >= 0 ? found : -found - 1;
      out[0] = members[first];
      int count = Math.min(out.length, n);
      long remaining = total - weight(first);
      for (int j = 1; j < count; j++) {
        long r = random.nextLong(remaining);
        for (int i = 0; i < n; i++) {
          if (chosen(out, j, members[i])) {
            continue;
          }
          long w = weight(i);
          if (r < w) {
            out[j] = members[i];
            remaining -= w;
            break;
          }
          r -= w;
        }
      }
      return count;
    }

    private long weight(int i) {
      return i == 0 ? cumulative[0] : cumulative[i] - cumulative[i - 1];
    }

    private static boolean chosen(int[] out, int count, int member) {
      for (int j = 0; j < count; j++) {
        if (out[j] == member) {
          return true;
        }
      }
      return false;
    }
  }
}
