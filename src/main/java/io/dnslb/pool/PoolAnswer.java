package io.dnslb.pool;

import java.util.List;
import org.xbill.DNS.Record;

/**
 * What a pool answers for one A or AAAA query.
 *
 * @param servfail true when every member is down and the pool says {@code when-all-down = servfail}
 * @param records address records to put in the answer section, owner = the queried name; empty
 *     means NODATA (the pool has no member of that family)
 * @param ecsScope the ECS scope prefix to echo (the sticky cut for sticky pools, else 0)
 * @param configuredTtl the TTL configured in the pool that answered: what the records carry, or
 *     with {@code ttl = auto} the ceiling of the lower TTL they carry; a signed zone signs the
 *     set with it (the RRSIG's original TTL), so one signature serves every auto TTL
 */
public record PoolAnswer(boolean servfail, List<Record> records, int ecsScope,
    long configuredTtl) {
  /** An answer whose records carry the configured TTL (or none: NODATA, SERVFAIL). */
  public PoolAnswer(boolean servfail, List<Record> records, int ecsScope) {
    this(servfail, records, ecsScope, records.isEmpty() ? 0 : records.get(0).getTTL());
  }
}
