package io.dnslb.observe.http;

import java.util.List;

/**
 * One pool in {@code /status}.
 *
 * @param names the DNS names the pool answers for
 * @param policy the balancing policy's config name
 * @param failingOpen every member is down and the pool answers as if all were up
 */
public record PoolStatus(String id, List<String> names, String policy, List<MemberStatus> members,
    boolean failingOpen) {
  public PoolStatus {
    names = List.copyOf(names);
    members = List.copyOf(members);
  }

  public PoolStatus(String id, List<String> names, String policy, List<MemberStatus> members) {
    this(id, names, policy, members, false);
  }
}
