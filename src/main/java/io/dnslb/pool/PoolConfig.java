package io.dnslb.pool;

import io.dnslb.pool.policy.Policy;
import io.dnslb.pool.policy.StickyPrefixes;
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
 */
public record PoolConfig(
    String id,
    List<Name> names,
    Policy policy,
    int answers,
    Duration ttl,
    boolean failOpen,
    StickyPrefixes sticky,
    List<MemberConfig> members,
    int minServing,
    String file,
    int line) {}
