package io.dnslb.pool.policy;

import java.util.List;

/** Every balancing policy, by the name pool files use. Add a policy here, one line. */
public final class Policies {
  private static final List<Policy> ALL = List.of(
      new RoundRobinPolicy(),
      new WeightedPolicy(),
      new StickyPolicy(),
      new FailoverPolicy(),
      new TopologyPolicy());

  private Policies() {}

  /** The policy with this name, or null. */
  public static Policy byName(String name) {
    for (Policy p : ALL) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    return null;
  }

  /** The known names, for error messages. */
  public static List<String> names() {
    return ALL.stream().map(Policy::name).toList();
  }
}
