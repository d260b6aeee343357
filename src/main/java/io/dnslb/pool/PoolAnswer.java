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
 */
public record PoolAnswer(boolean servfail, List<Record> records, int ecsScope) {}
