package io.dnslb.answer;

import io.dnslb.answer.LookupResult.Extra;
import io.dnslb.dnssec.ZoneSigner;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolRuntime;
import io.dnslb.wire.Fit;
import io.dnslb.wire.Query;
import io.dnslb.wire.Wire;
import io.dnslb.zone.Node;
import io.dnslb.zone.Zone;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Writes a {@link LookupResult} as the response message: header flags (AA, RCODE), the
 * sections, DNSSEC signatures and compact denial (RFC 9824) when the client set DO and the zone
 * is signed, the pool addresses that fit ({@link Fit}, the rule the fast path uses too), and the
 * OPT record (RFC 6891, ECS per RFC 7871, EDE per RFC 8914). Decides nothing about names: that
 * is {@link Lookup}'s.
 */
final class ResponseWriter {
  static final int EDNS_VERSION = 0;

  private final int udpPayload;

  ResponseWriter(int udpPayload) {
    this.udpPayload = udpPayload;
  }

  /** The response to a query whose EDNS version we do not speak (RFC 6891 §6.1.3). */
  Message badVersion(Query q) {
    Message resp = newResponse(q);
    addOpt(resp, q, Rcode.BADVERS, 0, false);
    return resp;
  }

  Message write(Query q, Catalog catalog, LookupResult result) {
    Message resp = newResponse(q);
    Header h = resp.getHeader();
    if (result instanceof LookupResult.Chaos c) {
      h.setFlag(Flags.AA);
      resp.addRecord(c.txt(), Section.ANSWER);
    } else if (result instanceof LookupResult.Refused) {
      h.setRcode(Rcode.REFUSED);
    } else if (result instanceof LookupResult.MetaType) {
      h.setRcode(Rcode.FORMERR);
    } else {
      h.setFlag(Flags.AA);
      new Sections(resp, q, catalog).write(result);
    }
    if (q.opt() != null) {
      addOpt(resp, q, h.getRcode(), result.ecsScope(),
          result instanceof LookupResult.Refused r && r.outOfZone());
    }
    return resp;
  }

  private static Message newResponse(Query q) {
    Message resp = new Message(q.id()); // never new Message(): it draws from a shared SecureRandom
    Header h = resp.getHeader();
    Header qh = q.message().getHeader();
    h.setFlag(Flags.QR);
    h.setOpcode(Opcode.QUERY);
    if (qh.getFlag(Flags.RD)) {
      h.setFlag(Flags.RD); // copied, RA stays clear: we never recurse
    }
    if (qh.getFlag(Flags.CD)) {
      h.setFlag(Flags.CD);
    }
    resp.addRecord(q.question(), Section.QUESTION);
    return resp;
  }

  /** Writing one in-zone result, possibly a CNAME chain; mutable state lives only here. */
  private final class Sections {
    private final Message resp;
    private final Query q;
    private final Catalog catalog;
    /** DO set and some zone signed: signatures and denial proofs go in (RFC 4035 §3.1). */
    private final boolean dnssec;
    /** The signer of the zone of the step being written, when {@link #dnssec}; else null. */
    private ZoneSigner signer;

    Sections(Message resp, Query q, Catalog catalog) {
      this.resp = resp;
      this.q = q;
      this.catalog = catalog;
      this.dnssec = q.opt() != null && (q.opt().getFlags() & ExtendedFlags.DO) != 0
          && !catalog.signing().isEmpty();
    }

    void write(LookupResult result) {
      for (LookupResult r = result; r != null; ) {
        r = step(r);
      }
    }

    /** Writes one step; returns the next one of a CNAME chain, or null. */
    private LookupResult step(LookupResult result) {
      // Java 17: no pattern switch yet; the interface is sealed, so this list is complete.
      if (result instanceof LookupResult.Cname c) {
        signedBy(c.zone());
        addSet(c.set(), c.owner(), c.wildcard(), Section.ANSWER);
        return c.next();
      } else if (result instanceof LookupResult.Exact e) {
        signedBy(e.zone());
        addSet(e.set(), e.owner(), false, Section.ANSWER);
        addExtras(e.additional());
      } else if (result instanceof LookupResult.Wildcard w) {
        signedBy(w.zone());
        addSet(w.set(), w.owner(), true, Section.ANSWER);
        addExtras(w.additional());
      } else if (result instanceof LookupResult.Pooled p) {
        signedBy(p.zone());
        addPooled(p.owner(), p.records(), p.configuredTtl());
      } else if (result instanceof LookupResult.PoolFailed) {
        resp.getHeader().unsetFlag(Flags.AA);
        resp.getHeader().setRcode(Rcode.SERVFAIL);
      } else if (result instanceof LookupResult.Delegation d) {
        signedBy(d.zone());
        referral(d);
      } else if (result instanceof LookupResult.NxDomain n) {
        signedBy(n.zone());
        if (signer != null) {
          // Compact denial (RFC 9824): NODATA with the NXNAME bit, signed on the fly.
          denial(n.zone(), n.name(), new int[] {ZoneSigner.NXNAME});
        } else {
          resp.getHeader().setRcode(Rcode.NXDOMAIN);
          resp.addRecord(n.zone().negativeSoa(), Section.AUTHORITY);
        }
      } else if (result instanceof LookupResult.NoData n) {
        signedBy(n.zone());
        if (signer != null) {
          denial(n.zone(), n.owner(), typesAt(n.node(), n.owner()));
        } else {
          resp.addRecord(n.zone().negativeSoa(), Section.AUTHORITY);
        }
      } else {
        // PoolName (from Lookup#route, explained, never written) or a result without a zone
        throw new IllegalArgumentException("not an in-zone answer: " + result);
      }
      return null;
    }

    private void signedBy(Zone zone) {
      signer = dnssec ? catalog.signing().of(zone.origin()) : null;
    }

    private void addPooled(Name name, List<Record> records, long configuredTtl) {
      int fit = fitting(records);
      for (int i = 0; i < fit; i++) {
        resp.addRecord(records.get(i), Section.ANSWER);
      }
      if (signer != null && fit > 0) {
        // Signed per distinct member set, cached: a health change makes a new set and so a
        // new signature, never an old RRSIG over a different set.
        RRset set = new RRset();
        for (int i = 0; i < fit; i++) {
          set.addRR(records.get(i));
        }
        addSigs(signer.servedSigs(set, configuredTtl), name, Section.ANSWER);
      }
    }

    /**
     * The types at a name for a NODATA proof: the node's own, plus A/AAAA where a pool answers
     * them (the pool's member families).
     */
    private int[] typesAt(Node node, Name name) {
      int[] own = node == null ? new int[0] : node.types();
      Pool pool = catalog.pool(name);
      if (!(pool instanceof PoolRuntime runtime)) {
        return own;
      }
      int[] out = Arrays.copyOf(own, own.length + 2);
      int n = own.length;
      if (runtime.answers(Type.A)) {
        out[n++] = Type.A;
      }
      if (runtime.answers(Type.AAAA)) {
        out[n++] = Type.AAAA;
      }
      return Arrays.copyOf(out, n);
    }

    /**
     * A signed NODATA: the SOA with its signatures and one NSEC at the name listing the types
     * there (for a name that does not exist, only NXNAME), signed on the fly.
     */
    private void denial(Zone zone, Name owner, int[] types) {
      if (q.qtype() == Type.NSEC) {
        // The name's NSEC is the data asked for (as Knot answers): a NODATA proof would carry
        // an NSEC whose bitmap has the NSEC bit, denying nothing, and fail validation.
        NSECRecord nsec = signer.nsec(owner.canonicalize(), types); // as in addNsec
        resp.addRecord(nsec, Section.ANSWER);
        addSigs(signer.dynamicSigs(new RRset(nsec)), owner, Section.ANSWER);
        return;
      }
      resp.addRecord(zone.negativeSoa(), Section.AUTHORITY);
      addSigs(signer.negativeSoaSigs(), zone.origin(), Section.AUTHORITY);
      addNsec(owner, types);
    }

    private void addNsec(Name owner, int[] types) {
      // The next name (\000.owner) is rdata, never compressed: made from the canonical owner, it
      // does not carry the asker's 0x20 case into the bytes the answer cache replays for others,
      // and one signature covers it whatever the case (fuzz finding crash-20698b3c).
      NSECRecord nsec = signer.nsec(owner.canonicalize(), types);
      resp.addRecord(nsec, Section.AUTHORITY);
      addSigs(signer.dynamicSigs(new RRset(nsec)), owner, Section.AUTHORITY);
    }

    private void addSigs(RRSIGRecord[] sigs, Name owner, int section) {
      if (sigs == null) {
        return;
      }
      for (RRSIGRecord r : sigs) {
        resp.addRecord(r.getName().equals(owner) ? r : r.withName(owner), section);
      }
    }

    /**
     * How many of the pool's address records fit the client's size limit after what the message
     * holds already ({@link Fit}, the rule the fast path uses too). The message is encoded to
     * measure it only when the answer could be near the limit (so almost never over EDNS).
     */
    private int fitting(List<Record> records) {
      // owner compressed to a pointer (2) + type, class, TTL, rdlength (10) + the address
      int per = 12 + (records.get(0).getType() == Type.A ? 4 : 16);
      // With DO in a signed zone the set's RRSIGs follow it: room is left for them too.
      int limit = sizeLimit(q) - (signer != null ? signer.rrsigWireBytes() : 0);
      int opt = Fit.opt(q.opt() != null, q.ecs() == null ? -1 : q.ecs().getSourcePrefixLength());
      int worstPrefix = 12 + 2 * 259; // header, two full names (question and a CNAME's)
      if (worstPrefix + opt + records.size() * per <= limit) {
        return records.size();
      }
      return Fit.records(records.size(), per, resp.toWire().length, opt, limit);
    }

    private void referral(LookupResult.Delegation d) {
      if (resp.getSection(Section.ANSWER).isEmpty()) {
        // AA describes the answer's first owner (RFC 1035 §4.1.1): after a CNAME of ours the
        // answer is still authoritative, even though the chain ends in a referral.
        resp.getHeader().unsetFlag(Flags.AA);
      }
      addSet(d.ns(), d.cut(), false, Section.AUTHORITY);
      if (signer != null) {
        // The DS with its signatures, or the signed proof that there is none (an insecure
        // delegation): the NSEC at the cut lists NS but neither DS nor SOA.
        RRset ds = d.at().rrset(Type.DS);
        if (ds != null) {
          addSet(ds, d.cut(), false, Section.AUTHORITY);
        } else {
          addNsec(d.cut(), d.at().types());
        }
      }
      // In-domain glue comes first (see Responder#encode for the TC it may need).
      addExtras(d.glue());
    }

    private void addExtras(List<Extra> extras) {
      for (Extra e : extras) {
        int type = e.set().getType();
        if (!resp.findRRset(e.owner(), type, Section.ADDITIONAL)
            && !resp.findRRset(e.owner(), type, Section.ANSWER)) {
          addSet(e.set(), e.owner(), e.wildcard(), Section.ADDITIONAL);
        }
      }
    }

    private void addSet(RRset set, Name owner, boolean rename, int section) {
      for (Record r : set.rrs(false)) {
        resp.addRecord(rename ? r.withName(owner) : r, section);
      }
      for (Record r : set.sigs()) {
        resp.addRecord(rename ? r.withName(owner) : r, section);
      }
      if (signer != null) {
        if (!rename) {
          addSigs(signer.staticSigs(set), owner, section);
        } else {
          // A wildcard answer is signed as the name asked (full label count), as compact
          // denial servers do: it then needs no proof that the name itself does not exist.
          RRset renamed = new RRset();
          for (Record r : set.rrs(false)) {
            renamed.addRR(r.withName(owner));
          }
          addSigs(signer.dynamicSigs(renamed), owner, section);
        }
      }
    }
  }

  /** The largest response this query may receive (RFC 6891 §6.2.3–6.2.5, RFC 7766). */
  int sizeLimit(Query q) {
    return Wire.sizeLimit(q.tcp(), q.opt() == null ? -1 : q.opt().getPayloadSize(), udpPayload);
  }

  private void addOpt(Message resp, Query q, int rcode, int ecsScope, boolean outOfZone) {
    List<EDNSOption> options = new ArrayList<>(1);
    if (outOfZone) {
      // As Knot does: tell the client why (RFC 8914 §4.21, EDE 20 "Not Authoritative").
      options.add(new ExtendedErrorCodeOption(ExtendedErrorCodeOption.NOT_AUTHORITATIVE));
    }
    ClientSubnetOption ecs = q.ecs();
    if (ecs != null) {
      options.add(new ClientSubnetOption(ecs.getSourcePrefixLength(),
          Math.min(ecsScope, ecs.getFamily() == 1 ? 32 : 128), ecs.getAddress()));
    }
    int flags = (q.opt().getFlags() & ExtendedFlags.DO);
    // The header keeps the low 4 bits of the rcode, the OPT the high 8 (RFC 6891 §6.1.3).
    resp.getHeader().setRcode(rcode & 0xF);
    resp.addRecord(new OPTRecord(udpPayload, rcode >>> 4, EDNS_VERSION, flags, options),
        Section.ADDITIONAL);
  }
}
