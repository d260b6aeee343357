package io.dnslb.observe.http;

import java.util.List;

/**
 * One pool in {@code /status}.
 *
 * @param names the DNS names the pool answers for
 * @param policy the balancing policy's config name
 */
public record PoolStatus(String id, List<String> names, String policy, List<MemberStatus> members) {
  public PoolStatus {
    names = List.copyOf(names);
    members = List.copyOf(members);
  }
}
