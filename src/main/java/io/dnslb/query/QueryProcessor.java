package io.dnslb.query;

import io.dnslb.answer.Catalog;
import io.dnslb.answer.Responder;
import io.dnslb.wire.FastQuery;
import io.dnslb.wire.Query;
import io.dnslb.wire.QueryDecoder;
import io.dnslb.wire.Wire;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.function.Supplier;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * The whole query path from request bytes to response bytes, without I/O: decode, answer, encode.
 * Transports and the fuzz target call this one method. It never throws: anything unexpected
 * becomes SERVFAIL, so a hostile packet cannot take a listener down.
 */
public final class QueryProcessor {
  private static final ThreadLocal<FastPath.Scratch> SCRATCH =
      ThreadLocal.withInitial(FastPath.Scratch::new);

  private final Responder responder;
  private final Supplier<PreparedCatalog> catalog;
  private final QueryObserver observer;
  private final FastPath fast;

  /**
   * @param catalog the catalog being served, read once per query; built with
   *     {@link PreparedCatalog#of} at load time
   */
  public QueryProcessor(Responder responder, Supplier<PreparedCatalog> catalog,
      QueryObserver observer) {
    this.responder = responder;
    this.catalog = catalog;
    this.observer = observer;
    this.fast = new FastPath(responder.udpPayload());
  }

  /** Answers a packet; returns null when nothing must be sent (not a query, or too short). */
  public byte[] process(byte[] packet, InetAddress source, boolean tcp) {
    byte[] out = SCRATCH.get().out;
    int n = process(packet, packet.length, source, tcp, out);
    return n == 0 ? null : Arrays.copyOf(out, n);
  }

  /**
   * Answers the first {@code length} bytes of {@code packet} into {@code out} (65535 bytes
   * hold any answer); returns the response length, 0 when nothing must be sent. The fast path
   * answers from here without allocating; anything it declines goes the general way.
   */
  public int process(byte[] packet, int length, InetAddress source, boolean tcp, byte[] out) {
    FastPath.Scratch s = SCRATCH.get();
    return process(packet, length, s.source.set(source), tcp, out, s);
  }

  /**
   * As {@link #process(byte[], int, InetAddress, boolean, byte[])}, with the source in a holder
   * the transport reuses: no InetAddress is made unless the general path, a client-aware
   * policy on IPv6 or the rate limiter needs one.
   */
  public int process(byte[] packet, int length, ClientAddress source, boolean tcp, byte[] out) {
    return process(packet, length, source, tcp, out, SCRATCH.get());
  }

  private int process(byte[] packet, int length, ClientAddress source, boolean tcp, byte[] out,
      FastPath.Scratch s) {
    long start = System.nanoTime();
    FastQuery q = s.query;
    // The query log wants the decoded query, which only the general path has.
    PreparedCatalog state = catalog.get();
    Catalog c = state.catalog();
    if (observer.detailed() || !q.parse(packet, length)) {
      return copy(general(packet, length, source, tcp, start, c, null, null), out);
    }
    PoolIndex.Entry pool = state.pools().find(q.name, q.nameLength, q.nameHash);
    int n = fast.pooled(packet, pool, q, source, tcp, s, out);
    if (n < 0 && pool == null) {
      ResponseCache.Key probe = s.probe.set(q, q.sizeLimit(tcp, responder.udpPayload()));
      n = state.cache().copyTo(probe, packet, q, out);
      if (n < 0) {
        return copy(general(packet, length, source, tcp, start, c, state.cache(), probe), out);
      }
    }
    if (n < 0) {
      return copy(general(packet, length, source, tcp, start, c, null, null), out);
    }
    observer.answered(tcp, q.qtype, out[3] & 0xF, System.nanoTime() - start, null, null);
    return n;
  }

  private static int copy(byte[] response, byte[] out) {
    if (response == null) {
      return 0;
    }
    System.arraycopy(response, 0, out, 0, response.length);
    return response.length;
  }

  /**
   * The general path through dnsjava; stores the answer in {@code cache} under {@code probe}
   * when they are non-null (the fast parser accepted the query, and it is not for a pool name).
   */
  private byte[] general(byte[] bytes, int length, ClientAddress source, boolean tcp, long start,
      Catalog c, ResponseCache cache, ResponseCache.Key probe) {
    byte[] packet = bytes.length == length ? bytes : Arrays.copyOf(bytes, length);
    QueryDecoder.Result decoded;
    try {
      decoded = QueryDecoder.decode(packet, source.inet(), tcp);
    } catch (RuntimeException e) {
      observer.failed(e);
      return packet.length >= Wire.HEADER ? Wire.headerOnly(packet, Rcode.FORMERR) : null;
    }
    if (decoded.query() == null) {
      byte[] out = decoded.immediate();
      if (out != null) {
        observer.answered(tcp, 0, out[3] & 0xF, System.nanoTime() - start, null, null);
      }
      return out;
    }
    Query q = decoded.query();
    try {
      Message resp = responder.respond(q, c);
      byte[] out = responder.encode(resp, q);
      if (cache != null) {
        cache.store(probe, resp, out, c);
      }
      observer.answered(tcp, q.qtype(), resp.getRcode(), System.nanoTime() - start, q, resp);
      return out;
    } catch (RuntimeException e) {
      observer.failed(e);
      return Wire.headerOnly(packet, Rcode.SERVFAIL);
    }
  }
}
