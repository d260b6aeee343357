package io.dnslb.answer;

import io.dnslb.wire.Query;
import io.dnslb.wire.Wire;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns a query into a response: {@link Lookup} decides (RFC 1034 §4.3.2 over our zones and
 * pools, CHAOS), {@link ResponseWriter} writes the {@link LookupResult} (EDNS per RFC 6891, ECS
 * per RFC 7871, minimal ANY per RFC 8482, DNSSEC), {@link #encode} applies the size limit. A pure
 * function of its inputs: no I/O, no locks, no clock; safe on every event loop at once.
 */
public final class Responder {
  private final int udpPayload;
  private final Lookup lookup;
  private final ResponseWriter writer;

  public Responder(int udpPayload, int maxCnameChain, ChaosAnswers chaos) {
    this.udpPayload = udpPayload;
    this.lookup = new Lookup(maxCnameChain, chaos);
    this.writer = new ResponseWriter(udpPayload);
  }

  /** The UDP payload size we advertise in our OPT records. */
  public int udpPayload() {
    return udpPayload;
  }

  /** The lookup behind {@link #respond}: for explaining and for tests of the decision alone. */
  public Lookup lookup() {
    return lookup;
  }

  /** The largest response this query may receive (RFC 6891 §6.2.3–6.2.5, RFC 7766). */
  public int sizeLimit(Query q) {
    return writer.sizeLimit(q);
  }

  public Message respond(Query q, Catalog catalog) {
    if (q.opt() != null && q.opt().getVersion() > ResponseWriter.EDNS_VERSION) {
      return writer.badVersion(q); // decided before any lookup: no pool moves on
    }
    return writer.write(q, catalog, decide(q, catalog));
  }

  /** What the lookup decides for this query (a pool chooses for its client, as it would). */
  public LookupResult decide(Query q, Catalog catalog) {
    return lookup.find(catalog, q.qname(), q.qtype(), q.qclass(), q.client());
  }

  /**
   * The response's bytes within the query's size limit. dnsjava's {@code toWire(limit)} sets TC
   * only when it drops answer or authority records; a referral whose in-domain glue does not all
   * fit must say TC as well (RFC 9471 §3.1), so that the resolver retries over TCP rather than
   * chase name servers it has no address for.
   */
  public byte[] encode(Message resp, Query q) {
    byte[] out = resp.toWire(sizeLimit(q));
    int required = inDomainGlue(resp);
    if (required > 0 && additionalSent(out, resp) < required) {
      out[2] |= (byte) (Wire.FLAG_TC >>> 8);
    }
    return out;
  }

  /**
   * How many leading additional records are in-domain glue: addresses of name servers at or
   * below the delegation point in the authority section (the writer puts them first).
   */
  private static int inDomainGlue(Message resp) {
    Name cut = null;
    for (Record r : resp.getSection(Section.AUTHORITY)) {
      if (r.getType() == Type.NS) {
        cut = r.getName();
        break;
      }
    }
    if (cut == null) {
      return 0; // not a referral: only referrals carry NS in the authority section
    }
    int n = 0;
    for (Record r : resp.getSection(Section.ADDITIONAL)) {
      if (r.getType() == Type.OPT || !r.getName().subdomain(cut)) {
        break;
      }
      n++;
    }
    return n;
  }

  /** Additional records (not counting the OPT) that made it into the encoded response. */
  private static int additionalSent(byte[] out, Message resp) {
    int count = Wire.u16(out, 10);
    return resp.getOPT() != null && count > 0 ? count - 1 : count;
  }
}
