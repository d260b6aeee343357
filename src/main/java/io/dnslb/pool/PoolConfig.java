package io.dnslb.pool;

import io.dnslb.pool.policy.Policy;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * One validated pool definition from a {@code *.pools.conf} file.
 *
 * @param answers the most address records one answer carries
 * @param failOpen true: when every member of a family is down, answer as if they were all up;
 *     false: SERVFAIL
 * @param minServing the fewest members the admin API may leave serving (default 1): a runtime
 *     change that would take the pool below it is refused
 * @param ttl the answers' TTL; with {@code ttl = auto} the most they get ({@code ttl-max})
 * @param minHealthy how many serving members a parent pool needs to see to count this one serving
 * @param names may be empty for a pool that only answers as another pool's member
 * @param ttlAuto the TTL is the time until a member in the answer could change state, at least
 *     {@code ttlMin} and at most {@code ttl}
 * @param slowStart the window over which a member that came up (or was added) ramps from a tenth
 *     of its weight to all of it; zero: off
 */
public record PoolConfig(
    String id,
    List<Name> names,
    Policy policy,
    int answers,
    Duration ttl,
    boolean failOpen,
    MinHealthy minHealthy,
    List<MemberConfig> members,
    int minServing,
    String file,
    int line,
    boolean ttlAuto,
    Duration ttlMin,
    Duration slowStart) {

  /** A pool with a fixed TTL, no slow start and the default min-healthy. */
  public PoolConfig(String id, List<Name> names, Policy policy, int answers, Duration ttl,
      boolean failOpen, List<MemberConfig> members, String file, int line) {
    this(id, names, policy, answers, ttl, failOpen, MinHealthy.ONE, members,
        PoolDefaults.MIN_SERVING, file, line, false, PoolDefaults.TTL_MIN, Duration.ZERO);
  }
}
