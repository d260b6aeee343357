package io.dnslb.pool.policy;

import static io.dnslb.pool.policy.PolicyContract.candidate;
import static io.dnslb.pool.policy.PolicyContract.ipv4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoundRobinPolicyTest {
  private final RoundRobinPolicy policy = new RoundRobinPolicy();
  private final SplittableRandom random = new SplittableRandom(3);

  @Test
  void meetsThePolicyContract() {
    PolicyContract.assertContract(policy);
  }

  @Test
  void answersEveryMemberRotatedByOnePerQuery() {
    Selector s = policy.prepare(new Candidate[] {candidate(5, 1), candidate(6, 9),
        candidate(7, 1)});
    assertArrayEquals(new int[] {5, 6, 7}, select(s, 8));
    assertArrayEquals(new int[] {6, 7, 5}, select(s, 8));
    assertArrayEquals(new int[] {7, 5, 6}, select(s, 8));
    assertArrayEquals(new int[] {5, 6, 7}, select(s, 8));
  }

  @Test
  void answerLimitCutsTheRotatedList() {
    Selector s = policy.prepare(new Candidate[] {candidate(0, 1), candidate(1, 1),
        candidate(2, 1)});
    assertArrayEquals(new int[] {0, 1}, select(s, 2));
    assertArrayEquals(new int[] {1, 2}, select(s, 2));
    assertArrayEquals(new int[] {2, 0}, select(s, 2));
  }

  @Test
  void eachMemberLeadsEquallyOften() {
    Selector s = policy.prepare(new Candidate[] {candidate(0, 1), candidate(1, 5)});
    int[] firsts = new int[2];
    for (int q = 0; q < 1000; q++) {
      firsts[select(s, 1)[0]]++;
    }
    assertEquals(500, firsts[0]);
  }

  private int[] select(Selector s, int limit) {
    int[] out = new int[limit];
    int count = s.select(ipv4(10, 0, 0, 1), random, out);
    return Arrays.copyOf(out, count);
  }
}
