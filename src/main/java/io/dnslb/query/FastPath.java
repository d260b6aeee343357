package io.dnslb.query;

import io.dnslb.wire.ClientSubnet;
import io.dnslb.wire.FastQuery;
import io.dnslb.wire.Fit;
import io.dnslb.wire.Wire;

/**
 * Answers the common queries without dnsjava and, for pooled A/AAAA, without allocating: the
 * query is parsed in place ({@link FastQuery}), a pool name is found by its bytes
 * ({@link PoolIndex}) and its answer is spliced from pre-encoded records after the query's own
 * question; any other answer is replayed from the catalog's {@link ResponseCache}. Whatever is
 * unusual returns -1 and the general path answers, so this class only has to be right about
 * what it accepts.
 */
final class FastPath {
  /** Per-thread buffers: each event loop reuses its own, so the hot path allocates nothing. */
  static final class Scratch {
    final FastQuery query = new FastQuery();
    final ResponseCache.Key probe = new ResponseCache.Key();
    /** Selection buffers by answer count: a selector answers at most its array's length. */
    final int[][] chosen = new int[17][];
    final byte[] ipv4 = new byte[4];
    final ClientSubnet ipv4Client = new ClientSubnet(1, ipv4, 32, false);
    final byte[] out = new byte[65535];
    /** The source of a query given as an InetAddress, held for the fast path. */
    final ClientAddress source = new ClientAddress();

    int[] chosen(int answers) {
      if (answers >= chosen.length) {
        return new int[answers];
      }
      int[] c = chosen[answers];
      return c != null ? c : (chosen[answers] = new int[answers]);
    }

    /**
     * The transport source as a ClientSubnet, as {@code QueryDecoder} builds it; for IPv4
     * without allocating.
     */
    ClientSubnet client(ClientAddress source) {
      if (source.isIpv4()) {
        Wire.putU32(ipv4, 0, source.ipv4());
        return ipv4Client;
      }
      if (!source.known()) {
        return new ClientSubnet(1, new byte[4], 0, false);
      }
      return new ClientSubnet(2, source.ipv6Copy(), 128, false);
    }
  }

  private static final int FLAGS_QR_AA = 0x8400;

  private final int udpPayload;

  FastPath(int udpPayload) {
    this.udpPayload = udpPayload;
  }

  /**
   * A pooled A/AAAA answer written into {@code out}, or -1 when the general path must answer
   * (not a pool name, another type or class, NODATA, SERVFAIL, nothing fits).
   */
  int pooled(byte[] packet, PoolIndex.Entry pool, FastQuery q, ClientAddress source, boolean tcp,
      Scratch s, byte[] out) {
    if (pool == null || q.qclass != 1 || (q.qtype != 1 && q.qtype != 28)) {
      return -1;
    }
    // RRSIGs only for DO, only in signed zones (RFC 4035 §3.1); null keeps today's answer.
    SignedPoolRecords signed = q.dnssecOk ? pool.signed() : null;
    ClientSubnet client = pool.usesClient() ? s.client(source) : s.ipv4Client;
    int[] chosen = s.chosen(pool.pool().maxAnswers());
    int count = pool.pool().select(q.qtype, client, chosen);
    if (count <= 0) {
      return -1;
    }
    byte[][] records = pool.records();
    int per = records[chosen[0]].length;
    int sigBytes = signed == null ? 0 : signed.maxBytes();
    // The fast parser declines ECS, so our OPT is the bare one; the RRSIGs come after the records.
    int limit = q.sizeLimit(tcp, udpPayload);
    count = Fit.records(count, per, q.questionEnd, Fit.opt(q.edns, -1) + sigBytes, limit);
    if (count <= 0) {
      return -1;
    }
    byte[] sigs = signed == null ? null : signed.rrsigs(chosen, count);
    if (signed != null && sigs == null) {
      return -1;
    }
    int pos = header(packet, q, count + (sigs == null ? 0 : signed.count()), out);
    long ttl = pool.pool().ttl(chosen, count); // ttl = auto: one TTL for the RRset, else -1
    for (int i = 0; i < count; i++) {
      byte[] r = records[chosen[i]];
      System.arraycopy(r, 0, out, pos, r.length);
      if (ttl >= 0) {
        Wire.putTtl(out, pos, ttl);
      }
      pos += r.length;
    }
    if (sigs != null) {
      System.arraycopy(sigs, 0, out, pos, sigs.length);
      if (ttl >= 0) {
        SignedPoolRecords.servedTtl(out, pos, pos + sigs.length, ttl);
      }
      pos += sigs.length;
    }
    return q.edns ? opt(q, out, pos) : pos;
  }

  /** Header and the question copied verbatim (keeps the client's 0x20 case). */
  private static int header(byte[] packet, FastQuery q, int answers, byte[] out) {
    out[0] = packet[0];
    out[1] = packet[1];
    int flags = FLAGS_QR_AA | q.copiedFlags;
    Wire.putU16(out, 2, flags);
    Wire.putU16(out, 4, 1);
    Wire.putU16(out, 6, answers);
    Wire.putU16(out, 8, 0);
    Wire.putU16(out, 10, q.edns ? 1 : 0);
    System.arraycopy(packet, Wire.HEADER, out, Wire.HEADER, q.questionEnd - Wire.HEADER);
    return q.questionEnd;
  }

  /** Our OPT: root owner, our payload, rcode/version 0, DO echoed, no options. */
  private int opt(FastQuery q, byte[] out, int pos) {
    out[pos] = 0; // root owner
    Wire.putU16(out, pos + 1, 41);
    Wire.putU16(out, pos + 3, udpPayload);
    Wire.putU32(out, pos + 5, q.dnssecOk ? 0x8000 : 0); // extended rcode, version, DO
    Wire.putU16(out, pos + 9, 0);
    return pos + Fit.OPT;
  }
}
