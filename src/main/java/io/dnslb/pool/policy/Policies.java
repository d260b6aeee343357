package io.dnslb.pool.policy;

import java.util.List;

/** Every balancing policy, by the name pool files use. Add a policy here, one line. */
public final class Policies {
  private static final List<PolicyType> ALL = List.of(
      RoundRobinPolicy.TYPE,
      WeightedPolicy.TYPE,
      StickyPolicy.TYPE,
      FailoverPolicy.TYPE,
      TopologyPolicy.TYPE);

  /** A pool without {@code policy}: behaves like plain multi-address DNS, surprising no one. */
  public static final PolicyType DEFAULT = RoundRobinPolicy.TYPE;

  private Policies() {}

  /** The policy type with this name, or null. */
  public static PolicyType byName(String name) {
    for (PolicyType p : ALL) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    return null;
  }

  public static List<PolicyType> all() {
    return ALL;
  }

  /** The known names, for error messages. */
  public static List<String> names() {
    return ALL.stream().map(PolicyType::name).toList();
  }
}
