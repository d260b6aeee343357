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
   * @param health each member's state (a pool member's from its child), by member index
   * @param overrides the operator's runtime overrides by member index (null entries: none); they
   *     replace the file's admin state and weight
   * @param shares each member's share of its weight (slow start × load), by member index; it
   *     multiplies the weight the member serves under (the override's, else the file's)
   * @param children by member index, the child pool of each pool member (else null)
   */
  static Selection build(PoolConfig pool, IntFunction<HealthState> health,
      MemberOverride[] overrides, double[] shares, PoolRuntime[] children) {
    HealthState[] states = states(pool, health);
    return new Selection(overrides.clone(), states, shares.clone(),
        family(pool, states, overrides, shares, children, false),
        family(pool, states, overrides, shares, children, true));
  }

  /**
   * How many members answers may carry when no fail-open applies: not drained or down, healthy
   * (or forced up), and of non-zero weight. The admin API refuses a change that takes this below
   * the pool's {@code min-serving}.
   */
  static int serving(PoolConfig pool, IntFunction<HealthState> health,
      MemberOverride[] overrides) {
    HealthState[] states = states(pool, health);
    int n = 0;
    for (MemberConfig m : pool.members()) {
      MemberOverride o = overrides[m.index()];
      Admin admin = MemberOverride.admin(m, o);
      if (admin != Admin.DOWN && admin != Admin.DRAIN && MemberOverride.weight(m, o) > 0
          && (admin == Admin.UP || states[m.index()] != HealthState.DOWN)) {
        n++;
      }
    }
    return n;
  }

  private static HealthState[] states(PoolConfig pool, IntFunction<HealthState> health) {
    HealthState[] states = new HealthState[pool.members().size()];
    for (MemberConfig m : pool.members()) {
      states[m.index()] = health.apply(m.index());
    }
    return states;
  }

  /**
   * Why a member is not among the candidates, or null when it is one.
   *
   * @param m the member as it serves ({@link #effective}: the override's admin and weight)
   * @param override the operator's override of it, or null; named as the reason when it is one
   */
  static String leftOut(MemberConfig m, MemberOverride override, HealthState[] health,
      boolean failedOpen, boolean anyWeighted) {
    String by = override == null ? "" : " " + overrideText(override);
    if (m.admin() == Admin.DOWN) {
      return "admin down" + (override != null && override.admin() != null ? by : "")
          + ": never answered";
    }
    if (m.admin() == Admin.DRAIN) {
      return "admin drain" + (override != null && override.admin() != null ? by : "")
          + ": probed, never answered";
    }
    if (m.admin() != Admin.UP && health[m.index()] == HealthState.DOWN && !failedOpen) {
      return m.isPool() ? "down: its pool serves fewer than its min-healthy members" : "down";
    }
    if (anyWeighted && m.weight() == 0) {
      return "weight 0" + (override != null && override.weight() != MemberOverride.KEEP_WEIGHT
          ? by : "") + ": answered only when every other member is down";
    }
    return null;
  }

  /** "(override by WHO: REASON, until T)", for explain. */
  static String overrideText(MemberOverride o) {
    StringBuilder b = new StringBuilder("(override by ").append(o.by());
    if (o.reason() != null && !o.reason().isEmpty()) {
      b.append(": ").append(o.reason());
    }
    b.append(o.expires() == null ? ", no expiry" : ", until " + o.expires());
    return b.append(')').toString();
  }

  private static Selection.Family family(PoolConfig pool, HealthState[] health,
      MemberOverride[] overrides, double[] shares, PoolRuntime[] children, boolean ipv6) {
    List<MemberConfig> eligible = new ArrayList<>();
    List<MemberConfig> up = new ArrayList<>();
    for (MemberConfig file : pool.members()) {
      MemberConfig m = effective(file, overrides[file.index()]);
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
    return new Selection.Family(pool.policy().prepare(candidates), false,
        failingOpen, indices, serving, eligible.size());
  }

  /** The member as it serves: the file's values with the override's on top. */
  static MemberConfig effective(MemberConfig m, MemberOverride o) {
    if (o == null) {
      return m;
    }
    return new MemberConfig(m.poolId(), m.index(), m.address(), m.pool(), MemberOverride.weight(m, o),
        m.priority(), MemberOverride.admin(m, o), m.check(), m.file(), m.line());
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
