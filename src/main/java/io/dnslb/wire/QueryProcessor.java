package io.dnslb.wire;

import io.dnslb.answer.Catalog;
import io.dnslb.answer.Responder;
import java.net.InetAddress;
import java.util.function.Supplier;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * The whole query path from request bytes to response bytes, without I/O: decode, answer, encode.
 * Transports and the fuzz target call this one method. It never throws: anything unexpected
 * becomes SERVFAIL, so a hostile packet cannot take a listener down.
 */
public final class QueryProcessor {
  private final Responder responder;
  private final Supplier<Catalog> catalog;
  private final QueryObserver observer;

  public QueryProcessor(Responder responder, Supplier<Catalog> catalog, QueryObserver observer) {
    this.responder = responder;
    this.catalog = catalog;
    this.observer = observer;
  }

  /** Answers a packet; returns null when nothing must be sent (not a query, or too short). */
  public byte[] process(byte[] packet, InetAddress source, boolean tcp) {
    long start = System.nanoTime();
    QueryDecoder.Result decoded;
    try {
      decoded = QueryDecoder.decode(packet, source, tcp);
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
      Message resp = responder.respond(q, catalog.get());
      byte[] out = resp.toWire(responder.sizeLimit(q));
      observer.answered(tcp, q.qtype(), resp.getRcode(), System.nanoTime() - start, q, resp);
      return out;
    } catch (RuntimeException e) {
      observer.failed(e);
      return Wire.headerOnly(packet, Rcode.SERVFAIL);
    }
  }
}
