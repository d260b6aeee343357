package io.dnslb.pool;

import java.util.List;

/**
 * What a pool would answer one client now, and why: {@code explain}'s pool part. The app adds
 * what only the prober knows (since when a member is down, the last probe's reason).
 *
 * @param outcome "answer", "NODATA" (no member of the family) or "SERVFAIL" (all down, servfail)
 * @param rule the policy's own one-line rule; empty unless outcome is "answer"
 * @param deterministic true: {@code answer} is exactly the next answer; false: it is drawn
 * @param failedOpen every eligible member is down and the pool answers as if all were up
 * @param answer the next answer's members (deterministic) or the most likely first ones, best first
 * @param ecsScope the ECS scope the answer carries
 * @param ttl the answer's TTL in seconds; for a drawn answer the lowest it can be
 * @param ttlReason why that TTL
 */
public record PoolExplanation(
    String outcome,
    String rule,
    boolean deterministic,
    boolean failedOpen,
    List<Member> members,
    List<String> answer,
    int ecsScope,
    long ttl,
    String ttlReason) {

  /**
   * One member's part.
   *
   * @param share the fraction of its weight it gets now (ramp × load), 1 = all of it
   * @param ramp its slow-start fraction now, 1 when not ramping
   * @param loadFactor the weight factor from the load its backend reports, 1 without a figure
   * @param in true when the policy may choose it for this query
   * @param probability its chance to be first in the answer (0 when out)
   * @param ttl the TTL an answer with it carries, in seconds
   * @param why why it is in or out, in words
   */
  public record Member(int index, String address, String health, String admin, int weight,
      int priority, double share, double ramp, double loadFactor, boolean in, double probability,
      long ttl, String why) {
    public double effectiveWeight() {
      return weight * share;
    }
  }

  public PoolExplanation {
    members = List.copyOf(members);
    answer = List.copyOf(answer);
  }
}
