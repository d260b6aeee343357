package io.dnslb.pool;

import io.dnslb.pool.policy.Candidate;
import io.dnslb.pool.policy.Hash64;
import io.dnslb.health.HealthState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Decides which members a policy may choose from, given admin state and health, and has the
 * policy precompute its selector. Pure: same config, health and shares, same selection.
 */
final class SelectionBuilder {
  private SelectionBuilder() {}

  /**
   * @param health each member's state in the health table, by member index
   * @param shares each member's share of its weight (slow start × load), by member index
   */
  static Selection build(PoolConfig pool, IntFunction<HealthState> health, double[] shares) {
    HealthState[] states = new HealthState[pool.members().size()];
    for (MemberConfig m : pool.members()) {
      states[m.index()] = health.apply(m.index());
    }
    return new Selection(states, shares.clone(), family(pool, states, shares, false),
        family(pool, states, shares, true));
  }

  /** Why a member is not among the candidates, or null when it is one. */
  static String leftOut(MemberConfig m, HealthState[] health, boolean failedOpen, boolean anyWeighted) {
    if (m.admin() == Admin.DOWN) {
      return "admin down: never answered";
    }
    if (m.admin() == Admin.DRAIN) {
      return "admin drain: probed, never answered";
    }
    if (m.admin() != Admin.UP && health[m.index()] == HealthState.DOWN && !failedOpen) {
      return "down";
    }
    if (anyWeighted && m.weight() == 0) {
      return "weight 0: answered only when every other member is down";
    }
    return null;
  }

  private static Selection.Family family(PoolConfig pool, HealthState[] health, double[] shares,
      boolean ipv6) {
    List<MemberConfig> eligible = new ArrayList<>();
    List<MemberConfig> up = new ArrayList<>();
    for (MemberConfig m : pool.members()) {
      if (m.isIpv6() != ipv6 || m.admin() == Admin.DOWN || m.admin() == Admin.DRAIN) {
        continue;
      }
      eligible.add(m);
      if (m.admin() == Admin.UP || health[m.index()] != HealthState.DOWN) {
        up.add(m);
      }
    }
    if (eligible.isEmpty()) {
      return Selection.Family.NODATA;
    }
    boolean failingOpen = false;
    if (up.isEmpty()) {
      if (!pool.failOpen()) {
        return Selection.Family.SERVFAIL;
      }
      // Fail open as gdnsd does when every address is down: answer as if all were up, with the
      // same policy. Members an operator took out (admin = down or drain) stay out: that is an
      // explicit instruction, not a health verdict that may be wrong.
      up = eligible;
      failingOpen = true;
    }
    Candidate[] candidates = candidates(up, shares);
    Candidate[] reachable = pool.policy().reachable(candidates);
    int[] indices = new int[reachable.length];
    for (int i = 0; i < reachable.length; i++) {
      indices[i] = reachable[i].member();
    }
    return new Selection.Family(pool.policy().prepare(candidates, pool.sticky()), false,
        failingOpen, indices);
  }

  /** Weight 0 means "only when nothing else is up"; then those members share equally. */
  private static Candidate[] candidates(List<MemberConfig> up, double[] shares) {
    boolean anyWeighted = up.stream().anyMatch(m -> m.weight() > 0);
    return up.stream()
        .filter(m -> !anyWeighted || m.weight() > 0)
        .map(m -> new Candidate(m.index(), anyWeighted ? m.weight() : 1, m.priority(),
            Hash64.ofPrefix(m.isIpv6() ? 2 : 1, m.address().getAddress(), 128),
            shares[m.index()]))
        .toArray(Candidate[]::new);
  }
}
