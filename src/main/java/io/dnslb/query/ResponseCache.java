package io.dnslb.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dnslb.answer.Catalog;
import io.dnslb.wire.FastQuery;
import io.dnslb.wire.Wire;
import java.util.Arrays;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Encoded responses for everything but pool answers (static RRsets, NXDOMAIN, NODATA,
 * referrals, REFUSED…), for one catalog: a new catalog comes with a new, empty cache, so a
 * reload never serves old data. A hit is a copy plus three patches (ID, RD/CD, the question's
 * bytes for the client's 0x20 case); the question keeps its length, so compression pointers in
 * the cached bytes stay valid.
 */
final class ResponseCache {
  /** Bytes of responses and keys held at most; TCP answers can be 64 KB, so count bytes. */
  private static final long MAX_BYTES = 16L << 20;

  private final Cache<Key, byte[]> cache;

  ResponseCache() {
    this(MAX_BYTES);
  }

  /**
   * Maintenance (read-buffer drains every few hits once half full, evictions) runs on the
   * event loop that reads or stores, amortised, instead of on ForkJoinPool.commonPool: a
   * hand-off there wakes another thread, which on a server pinned to few cores preempts the
   * loop in the middle of a burst (a tail-latency cost, not a throughput one).
   */
  ResponseCache(long maxBytes) {
    this.cache = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((Key k, byte[] v) -> k.name.length + v.length + 64)
        .executor(Runnable::run)
        .build();
  }

  /** Entries held (for tests: maintenance is synchronous, so this is exact). */
  long size() {
    return cache.estimatedSize();
  }

  /**
   * Copies the cached response for the probe's query into {@code out}, patched for this query.
   *
   * @return the response length, or -1 on a miss
   */
  int copyTo(Key probe, byte[] query, FastQuery q, byte[] out) {
    byte[] hit = cache.getIfPresent(probe);
    if (hit == null) {
      return -1;
    }
    System.arraycopy(hit, 0, out, 0, hit.length);
    out[0] = query[0];
    out[1] = query[1];
    out[2] = (byte) ((out[2] & ~(Wire.FLAG_RD >>> 8)) | (q.copiedFlags >>> 8));
    out[3] = (byte) ((out[3] & ~Wire.FLAG_CD) | (q.copiedFlags & Wire.FLAG_CD));
    System.arraycopy(query, Wire.HEADER, out, Wire.HEADER, q.questionEnd - Wire.HEADER);
    return hit.length;
  }

  /** Stores the general path's answer to the probe's query, when it may be replayed. */
  void store(Key probe, Message response, byte[] bytes, Catalog catalog) {
    if (cacheable(response, catalog)) {
      cache.put(probe.copy(), bytes.clone());
    }
  }

  /**
   * Not SERVFAIL (a pool with every member down, or a bug: both may change any moment), and
   * no address record drawn from a pool (reached through a CNAME: the qname itself being a
   * pool name is ruled out before the cache is asked).
   */
  private static boolean cacheable(Message response, Catalog catalog) {
    if (response.getRcode() == Rcode.SERVFAIL) {
      return false;
    }
    for (Record r : response.getSection(Section.ANSWER)) {
      boolean address = r.getType() == Type.A || r.getType() == Type.AAAA;
      if (address && catalog.pool(r.getName()) != null) {
        return false;
      }
    }
    return true;
  }

  /**
   * (lowercased qname, qtype, qclass, size limit, EDNS, DO). A thread reuses one probe key,
   * which points into its parse buffer, for lookups; only stored keys own a copy of the name.
   */
  static final class Key {
    private byte[] name;
    private int length;
    private int hash;
    private int qtype;
    private int qclass;
    private int limit;
    private int edns;

    /** Makes this (probe) key describe the parsed query. */
    Key set(FastQuery q, int limit) {
      this.name = q.name;
      this.length = q.nameLength;
      this.qtype = q.qtype;
      this.qclass = q.qclass;
      this.limit = limit;
      this.edns = (q.edns ? 1 : 0) | (q.dnssecOk ? 2 : 0);
      this.hash = ((q.nameHash * 31 + qtype) * 31 + qclass) * 31 + limit * 4 + edns;
      return this;
    }

    private Key copy() {
      Key k = new Key();
      k.name = Arrays.copyOf(name, length);
      k.length = length;
      k.hash = hash;
      k.qtype = qtype;
      k.qclass = qclass;
      k.limit = limit;
      k.edns = edns;
      return k;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.hash == hash && k.qtype == qtype && k.qclass == qclass
          && k.limit == limit && k.edns == edns
          && Arrays.equals(k.name, 0, k.length, name, 0, length);
    }
  }
}
