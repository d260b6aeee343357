package io.dnslb.pool.policy;

import static io.dnslb.pool.policy.PolicyContract.assertSharesFollow;
import static io.dnslb.pool.policy.PolicyContract.candidate;
import static io.dnslb.pool.policy.PolicyContract.firstShares;
import static io.dnslb.pool.policy.PolicyContract.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WeightedPolicyTest {
  private final WeightedPolicy policy = new WeightedPolicy();

  @Test
  void meetsThePolicyContract() {
    PolicyContract.assertContract(policy);
  }

  @Test
  void firstAnswerSharesFollowWeightsWithinTwoPoints() {
    int[] weights = {1, 2, 3, 4};
    Selector s = policy.prepare(new Candidate[] {candidate(0, 1), candidate(1, 2),
        candidate(2, 3), candidate(3, 4)});
    assertSharesFollow(weights, firstShares(s, 4, 10_000, q -> ipv4(10, 0, 0, 1)));
  }

  @Test
  void furtherAnswersAreOtherMembersStillByWeight() {
    // Member 0 nearly always comes first; the second answer is then 1 or 2 at about 1:3.
    Selector s = policy.prepare(new Candidate[] {candidate(0, 1000), candidate(1, 1),
        candidate(2, 3)});
    SplittableRandom random = new SplittableRandom(1);
    int[] second = new int[3];
    int rounds = 10_000;
    for (int q = 0; q < rounds; q++) {
      int[] out = new int[2];
      assertEquals(2, s.select(ipv4(10, 0, 0, 1), random, out));
      if (out[0] == 0) {
        second[out[1]]++;
      }
    }
    int total = second[1] + second[2];
    assertEquals(0, second[0]);
    assertEquals(0.25, (double) second[1] / total, 0.02);
  }

  @Test
  void theThirdAnswerFollowsTheWeightsLeft() {
    Selector s = policy.prepare(new Candidate[] {candidate(0, 4), candidate(1, 3),
        candidate(2, 2), candidate(3, 1)});
    SplittableRandom random = new SplittableRandom(3);
    int[] third = new int[4];
    for (int q = 0; q < 40_000; q++) {
      int[] out = new int[4];
      assertEquals(4, s.select(ipv4(10, 0, 0, 1), random, out));
      assertEquals(6, out[0] + out[1] + out[2] + out[3], "each member exactly once");
      if (out[0] == 0 && out[1] == 1) {
        third[out[2]]++;
      }
    }
    assertEquals(2.0 / 3, (double) third[2] / (third[2] + third[3]), 0.03);
  }

  /** 16 distinct answers over 10,000 members (a binary search per answer, not a scan). */
  @Test
  void sixteenDistinctAnswersFromTenThousandMembers() {
    Candidate[] many = new Candidate[10_000];
    for (int i = 0; i < many.length; i++) {
      many[i] = candidate(i, 1 + i % 1000);
    }
    Selector s = policy.prepare(many);
    SplittableRandom random = new SplittableRandom(5);
    for (int q = 0; q < 1000; q++) {
      int[] out = new int[16];
      assertEquals(16, s.select(ipv4(10, 0, 0, 1), random, out));
      assertEquals(16, java.util.Arrays.stream(out).distinct().count());
    }
  }

  @Test
  void sameRandomSameAnswer() {
    Selector s = policy.prepare(new Candidate[] {candidate(0, 1), candidate(1, 1)});
    int[] a = new int[1];
    int[] b = new int[1];
    SplittableRandom r1 = new SplittableRandom(9);
    SplittableRandom r2 = new SplittableRandom(9);
    for (int q = 0; q < 100; q++) {
      s.select(ipv4(10, 0, 0, 1), r1, a);
      s.select(ipv4(10, 0, 0, 1), r2, b);
      assertEquals(a[0], b[0]);
    }
  }
}
