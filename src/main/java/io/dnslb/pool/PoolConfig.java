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
 * @param minHealthy how many serving members a parent pool needs to see to count this one serving
 * @param names may be empty for a pool that only answers as another pool's member
 */
public record PoolConfig(
    String id,
    List<Name> names,
    Policy policy,
    int answers,
    Duration ttl,
    boolean failOpen,
    MinHealthy minHealthy,
    StickyPrefixes sticky,
    List<MemberConfig> members,
    String file,
    int line) {}
