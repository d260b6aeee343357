package io.dnslb.observe.http;

import java.util.List;

/**
 * One pool in {@code /status}.
 *
 * @param names the DNS names the pool answers for
 * @param policy the balancing policy's config name
 * @param failingOpen every member is down and the pool answers as if all were up
 * @param regions a topology pool's regions; empty for other policies
 */
public record PoolStatus(String id, List<String> names, String policy, List<MemberStatus> members,
    boolean failingOpen, List<RegionStatus> regions) {
  public PoolStatus {
    names = List.copyOf(names);
    members = List.copyOf(members);
    regions = List.copyOf(regions);
  }

  public PoolStatus(String id, List<String> names, String policy, List<MemberStatus> members,
      boolean failingOpen) {
    this(id, names, policy, members, failingOpen, List.of());
  }

  public PoolStatus(String id, List<String> names, String policy, List<MemberStatus> members) {
    this(id, names, policy, members, false);
  }
}
