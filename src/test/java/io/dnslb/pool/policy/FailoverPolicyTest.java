package io.dnslb.pool.policy;

import static io.dnslb.pool.policy.PolicyContract.assertSharesFollow;
import static io.dnslb.pool.policy.PolicyContract.candidate;
import static io.dnslb.pool.policy.PolicyContract.firstShares;
import static io.dnslb.pool.policy.PolicyContract.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FailoverPolicyTest {
  private final FailoverPolicy policy = new FailoverPolicy();

  @Test
  void meetsThePolicyContract() {
    PolicyContract.assertContract(policy);
  }

  @Test
  void onlyTheLowestPriorityTierServesWeightedInside() {
    Selector s = policy.prepare(new Candidate[] {candidate(0, 3, 1), candidate(1, 1, 1),
        candidate(2, 100, 2), candidate(3, 100, 3)});
    double[] shares = firstShares(s, 4, 10_000, q -> ipv4(10, 0, 0, 1));
    assertSharesFollow(new int[] {3, 1, 0, 0}, shares);
    assertEquals(0.0, shares[2]);
    assertEquals(0.0, shares[3]);
  }

  @Test
  void nextTierServesWhenTheFirstHasNoCandidates() {
    Selector s = policy.prepare(new Candidate[] {candidate(2, 1, 3), candidate(3, 1, 2)});
    int[] out = new int[4];
    assertEquals(1, s.select(ipv4(10, 0, 0, 1), new SplittableRandom(1), out));
    assertEquals(3, out[0]);
  }
}
