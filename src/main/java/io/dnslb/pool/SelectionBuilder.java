package io.dnslb.pool;

import io.dnslb.pool.policy.Candidate;
import io.dnslb.pool.policy.Hash64;
import io.dnslb.health.HealthState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Decides which members a policy may choose from, given admin state and health, and has the
 * policy precompute its selector. A pool member's health is its child pool's: it serves a family
 * while the child has at least {@code min-healthy} serving members of that family, and it has
 * no part in a family the child cannot answer. Pure: same config, health, shares and child
 * selections, same selection.
 */
final class SelectionBuilder {
  private SelectionBuilder() {}

  /**
   * @param health each address member's state in the health table, by member index
   * @param shares each member's share of its weight (slow start × load), by member index
   * @param children by member index, the child pool of each pool member (else null)
   */
  static Selection build(PoolConfig pool, IntFunction<HealthState> health, double[] shares,
      PoolRuntime[] children) {
    HealthState[] states = new HealthState[pool.members().size()];
    for (MemberConfig m : pool.members()) {
      states[m.index()] = health.apply(m.index());
    }
    return new Selection(states, shares.clone(), family(pool, states, shares, children, false),
        family(pool, states, shares, children, true));
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
      return m.isPool() ? "down: its pool serves fewer than its min-healthy members" : "down";
    }
    if (anyWeighted && m.weight() == 0) {
      return "weight 0: answered only when every other member is down";
    }
    return null;
  }

  private static Selection.Family family(PoolConfig pool, HealthState[] health, double[] shares,
      PoolRuntime[] children, boolean ipv6) {
    List<MemberConfig> eligible = new ArrayList<>();
    List<MemberConfig> up = new ArrayList<>();
    for (MemberConfig m : pool.members()) {
      if (m.admin() == Admin.DOWN || m.admin() == Admin.DRAIN) {
        continue;
      }
      boolean serving;
      if (m.isPool()) {
        PoolRuntime child = children[m.index()];
        Selection.Family f = child.family(ipv6);
        if (f.eligible() == 0) {
          continue;
        }
        serving = f.serving() >= child.config().minHealthy().required(f.eligible());
      } else {
        if (m.isIpv6() != ipv6) {
          continue;
        }
        serving = health[m.index()] != HealthState.DOWN;
      }
      eligible.add(m);
      if (m.admin() == Admin.UP || serving) {
        up.add(m);
      }
    }
    if (eligible.isEmpty()) {
      return Selection.Family.NODATA;
    }
    int serving = up.size();
    boolean failingOpen = false;
    if (up.isEmpty()) {
      if (!pool.failOpen()) {
        return new Selection.Family(null, true, false, new int[0], 0, eligible.size());
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
    for (int j = 0; j < reachable.length; j++) {
      indices[j] = reachable[j].member();
    }
    return new Selection.Family(pool.policy().prepare(candidates, pool.sticky()), false,
        failingOpen, indices, serving, eligible.size());
  }

  /** Weight 0 means "only when nothing else is up"; then those members share equally. */
  private static Candidate[] candidates(List<MemberConfig> up, double[] shares) {
    boolean anyWeighted = up.stream().anyMatch(m -> m.weight() > 0);
    return up.stream()
        .filter(m -> !anyWeighted || m.weight() > 0)
        .map(m -> new Candidate(m.index(), anyWeighted ? m.weight() : 1, m.priority(),
            m.isPool() ? Hash64.mix(m.pool().hashCode())
                : Hash64.ofPrefix(m.isIpv6() ? 2 : 1, m.address().getAddress(), 128),
            shares[m.index()]))
        .toArray(Candidate[]::new);
  }
}
