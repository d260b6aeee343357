package io.dnslb.pool.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.wire.ClientSubnet;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/** What every policy must do, whatever it balances by; each policy test runs it. */
final class PolicyContract {
  private PolicyContract() {}

  static Candidate candidate(int member, int weight, int priority) {
    byte[] address = {(byte) 192, 0, 2, (byte) member};
    return new Candidate(member, weight, priority, Hash64.ofPrefix(1, address, 128));
  }

  static Candidate candidate(int member, int weight) {
    return candidate(member, weight, 1);
  }

  static ClientSubnet ipv4(int a, int b, int c, int d) {
    return new ClientSubnet(1, new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}, 32, false);
  }

  /** Any selector writes min(limit, candidates) distinct members, all of them candidates. */
  static void assertContract(Policy policy) {
    SplittableRandom random = new SplittableRandom(7);
    for (int n = 1; n <= 5; n++) {
      Candidate[] candidates = new Candidate[n];
      Set<Integer> allowed = new HashSet<>();
      for (int i = 0; i < n; i++) {
        candidates[i] = candidate(10 + i, 1 + i);
        allowed.add(10 + i);
      }
      Selector selector = policy.prepare(candidates);
      assertClientBlindUnlessDeclared(policy, candidates);
      for (int limit = 1; limit <= 8; limit++) {
        for (int q = 0; q < 50; q++) {
          int[] out = new int[limit];
          int count = selector.select(ipv4(10, q, q, 1), random, out);
          assertEquals(Math.min(limit, n), count, policy.name() + " n=" + n + " limit=" + limit);
          Set<Integer> seen = new HashSet<>();
          for (int j = 0; j < count; j++) {
            assertTrue(allowed.contains(out[j]), "not a candidate: " + out[j]);
            assertTrue(seen.add(out[j]), "chosen twice: " + out[j]);
          }
        }
      }
    }
  }

  /** Each member's share of first answers over {@code rounds} selections. */
  static double[] firstShares(Selector selector, int members, int rounds,
      java.util.function.IntFunction<ClientSubnet> client) {
    SplittableRandom random = new SplittableRandom(42);
    double[] shares = new double[members];
    int[] out = new int[1];
    for (int q = 0; q < rounds; q++) {
      selector.select(client.apply(q), random, out);
      shares[out[0]] += 1.0 / rounds;
    }
    return shares;
  }

  /** Asserts each share is within 2 percentage points of weight / total weight. */
  static void assertSharesFollow(int[] weights, double[] shares) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    for (int i = 0; i < weights.length; i++) {
      double expected = (double) weights[i] / total;
      assertEquals(expected, shares[i], 0.02, "share of member " + i);
    }
  }

  /**
   * A policy that says it does not use the client must choose the same for any client: the fast
   * path hands such selectors a placeholder client instead of the real one.
   */
  private static void assertClientBlindUnlessDeclared(Policy policy, Candidate[] candidates) {
    if (policy.usesClient()) {
      return;
    }
    Selector one = policy.prepare(candidates);
    Selector other = policy.prepare(candidates);
    SplittableRandom r1 = new SplittableRandom(3);
    SplittableRandom r2 = new SplittableRandom(3);
    for (int q = 0; q < 50; q++) {
      int[] a = new int[candidates.length];
      int[] b = new int[candidates.length];
      int n = one.select(ipv4(10, q, 7, 1), r1, a);
      assertEquals(n, other.select(ipv4(203, 0, 113, q), r2, b));
      assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b),
          policy.name() + " reads the client but says it does not");
    }
  }
}
