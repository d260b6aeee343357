package io.dnslb.answer;

import io.dnslb.dnssec.ZoneSigner;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolAnswer;
import io.dnslb.pool.PoolRuntime;
import io.dnslb.wire.Fit;
import io.dnslb.wire.Query;
import io.dnslb.wire.Wire;
import io.dnslb.zone.Node;
import io.dnslb.zone.Zone;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns a query into a response message: RFC 1034 §4.3.2 over our zones and pools, plus the EDNS
 * (RFC 6891), ECS (RFC 7871), minimal-ANY (RFC 8482) and CHAOS rules. A pure function of its
 * inputs: no I/O, no locks, no clock; safe on every event loop at once.
 */
public final class Responder {
  private static final int EDNS_VERSION = 0;
  private static final Name WILDCARD = Name.fromConstantString("*");
  /** Marks a refusal for a name outside our zones; never a valid ECS scope (0..128). */
  private static final int NOT_AUTHORITATIVE = -1;

  private final int udpPayload;
  private final int maxCnameChain;
  private final ChaosAnswers chaos;

  public Responder(int udpPayload, int maxCnameChain, ChaosAnswers chaos) {
    this.udpPayload = udpPayload;
    this.maxCnameChain = maxCnameChain;
    this.chaos = chaos;
  }

  /** The UDP payload size we advertise in our OPT records. */
  public int udpPayload() {
    return udpPayload;
  }

  /** The largest response this query may receive (RFC 6891 §6.2.3–6.2.5, RFC 7766). */
  public int sizeLimit(Query q) {
    return Wire.sizeLimit(q.tcp(), q.opt() == null ? -1 : q.opt().getPayloadSize(), udpPayload);
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
   * below the delegation point in the authority section ({@code referral} puts them first).
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

  public Message respond(Query q, Catalog catalog) {
    Message resp = newResponse(q);
    if (q.opt() != null && q.opt().getVersion() > EDNS_VERSION) {
      addOpt(resp, q, Rcode.BADVERS, 0);
      return resp;
    }
    int ecsScope = answer(resp, q, catalog);
    if (q.opt() != null) {
      addOpt(resp, q, resp.getHeader().getRcode(), ecsScope);
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

  /**
   * Fills the message; returns the ECS scope prefix to echo, or {@link #NOT_AUTHORITATIVE} for a
   * name in none of our zones.
   */
  private int answer(Message resp, Query q, Catalog catalog) {
    Header h = resp.getHeader();
    int qtype = q.qtype();
    if (q.qclass() == DClass.CH) {
      chaos.answer(resp, q);
      return 0;
    }
    if (q.qclass() != DClass.IN && q.qclass() != DClass.ANY) {
      h.setRcode(Rcode.REFUSED);
      return 0;
    }
    if (qtype == Type.OPT || qtype == Type.TSIG || qtype == Type.TKEY) {
      h.setRcode(Rcode.FORMERR); // meta-types are not questions (RFC 6895 §3.1)
      return 0;
    }
    if (qtype == Type.AXFR || qtype == Type.IXFR) {
      h.setRcode(Rcode.REFUSED); // zone transfer is not offered
      return 0;
    }
    Zone zone = catalog.zones().find(q.qname());
    if (zone == null) {
      h.setRcode(Rcode.REFUSED);
      return NOT_AUTHORITATIVE;
    }
    h.setFlag(Flags.AA);
    return new Walk(resp, q, catalog).run(zone);
  }

  /** One resolution, possibly through a CNAME chain; mutable state lives only here. */
  private final class Walk {
    private final Message resp;
    private final Query q;
    private final Catalog catalog;
    private final int qtype;
    /** DO set and some zone signed: signatures and denial proofs go in (RFC 4035 §3.1). */
    private final boolean dnssec;
    /** The signer of the zone being answered from, when {@link #dnssec}; else null. */
    private ZoneSigner signer;
    private int ecsScope;

    Walk(Message resp, Query q, Catalog catalog) {
      this.resp = resp;
      this.q = q;
      this.catalog = catalog;
      this.qtype = q.qtype();
      this.dnssec = q.opt() != null && (q.opt().getFlags() & ExtendedFlags.DO) != 0
          && !catalog.signing().isEmpty();
    }

    int run(Zone start) {
      Name name = q.qname();
      Zone zone = start;
      Set<Name> visited = null;
      for (int hop = 0; ; hop++) {
        if (qtype == Type.DS && name.equals(zone.origin())) {
          // DS lives on the parent side of a cut (RFC 4035 §3.1.4.1).
          Zone parent = catalog.zones().parentOf(zone);
          if (parent != null && parent.lookup(name) != null) {
            zone = parent;
          }
        }
        Name target = resolve(zone, name);
        if (target == null) {
          return ecsScope;
        }
        if (hop + 1 >= maxCnameChain) {
          return ecsScope;
        }
        if (visited == null) {
          visited = new HashSet<>();
          visited.add(name);
        }
        if (!visited.add(target)) {
          return ecsScope; // a loop: the CNAMEs so far are the answer
        }
        Zone next = catalog.zones().find(target);
        if (next == null) {
          return ecsScope; // out of our zones: the resolver follows on
        }
        name = target;
        zone = next;
      }
    }

    /** Answers name within zone; returns a CNAME target to follow, or null when done. */
    private Name resolve(Zone zone, Name name) {
      signer = dnssec ? catalog.signing().of(zone.origin()) : null;
      Name cut = findCut(zone, name);
      if (cut != null) {
        referral(zone, cut);
        return null;
      }
      Node node = zone.lookup(name);
      Name owner = name;
      boolean synthesised = false;
      if (node == null) {
        Name closest = closestEncloser(zone, name);
        Name wildcardName = wildcardOf(closest);
        Node wildcard = wildcardName == null ? null : zone.lookup(wildcardName);
        if (wildcard == null) {
          if (signer != null) {
            // Compact denial (RFC 9824): NODATA with the NXNAME bit, signed on the fly.
            denial(zone, name, new int[] {ZoneSigner.NXNAME});
            return null;
          }
          resp.getHeader().setRcode(Rcode.NXDOMAIN);
          resp.addRecord(zone.negativeSoa(), Section.AUTHORITY);
          return null;
        }
        node = wildcard; // RFC 4592: synthesise from *.<closest encloser>, owner = qname
        synthesised = true;
      }
      RRset cname = node.rrset(Type.CNAME);
      if (cname != null && qtype == Type.ANY) {
        // ANY matches CNAME: answer it and stop (RFC 1034 §4.3.2 step 3a restarts only when
        // QTYPE does not match).
        addSet(cname, owner, synthesised, Section.ANSWER);
        return null;
      }
      if (cname != null && qtype != Type.CNAME) {
        Record r = cname.first();
        addSet(cname, owner, synthesised, Section.ANSWER);
        return ((org.xbill.DNS.CNAMERecord) r).getTarget();
      }
      Pool pool = (qtype == Type.A || qtype == Type.AAAA || qtype == Type.ANY)
          ? catalog.pool(name) : null;
      if (pool != null && answerFromPool(zone, pool, name)) {
        return null;
      }
      RRset set = qtype == Type.ANY ? node.first() : node.rrset(qtype);
      if (set == null) {
        if (signer != null) {
          denial(zone, owner, typesAt(node, name));
          return null;
        }
        resp.addRecord(zone.negativeSoa(), Section.AUTHORITY); // NODATA
        return null;
      }
      addSet(set, owner, synthesised, Section.ANSWER);
      addAdditional(set);
      return null;
    }

    /** True when the pool produced the answer (or the failure) for this query. */
    private boolean answerFromPool(Zone zone, Pool pool, Name name) {
      int type = qtype == Type.ANY ? Type.A : qtype;
      PoolAnswer a = pool.answer(name, type, q.client());
      ecsScope = a.ecsScope();
      if (a.servfail()) {
        resp.getHeader().unsetFlag(Flags.AA);
        resp.getHeader().setRcode(Rcode.SERVFAIL);
        return true;
      }
      if (a.records().isEmpty()) {
        if (qtype == Type.ANY) {
          return false; // minimal ANY falls back to the node's own data
        }
        if (signer != null) {
          denial(zone, name, typesAt(zone.lookup(name), name));
          return true;
        }
        resp.addRecord(zone.negativeSoa(), Section.AUTHORITY);
        return true;
      }
      List<Record> records = a.records();
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
        addSigs(signer.servedSigs(set, a.configuredTtl()), name, Section.ANSWER);
      }
      return true;
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
      boolean v4 = runtime.answers(Type.A);
      boolean v6 = runtime.answers(Type.AAAA);
      int[] out = java.util.Arrays.copyOf(own, own.length + 2);
      int n = own.length;
      if (v4) {
        out[n++] = Type.A;
      }
      if (v6) {
        out[n++] = Type.AAAA;
      }
      return java.util.Arrays.copyOf(out, n);
    }

    /**
     * A signed NODATA: the SOA with its signatures and one NSEC at the name listing the types
     * there (for a name that does not exist, only NXNAME), signed on the fly.
     */
    private void denial(Zone zone, Name owner, int[] types) {
      if (qtype == Type.NSEC) {
        // The name's NSEC is the data asked for (as Knot answers): a NODATA proof would carry
        // an NSEC whose bitmap has the NSEC bit, denying nothing, and fail validation.
        org.xbill.DNS.NSECRecord nsec = signer.nsec(owner, types);
        resp.addRecord(nsec, Section.ANSWER);
        addSigs(signer.dynamicSigs(new RRset(nsec)), owner, Section.ANSWER);
        return;
      }
      resp.addRecord(zone.negativeSoa(), Section.AUTHORITY);
      addSigs(signer.negativeSoaSigs(), zone.origin(), Section.AUTHORITY);
      addNsec(owner, types);
    }

    private void addNsec(Name owner, int[] types) {
      org.xbill.DNS.NSECRecord nsec = signer.nsec(owner, types);
      resp.addRecord(nsec, Section.AUTHORITY);
      addSigs(signer.dynamicSigs(new RRset(nsec)), owner, Section.AUTHORITY);
    }

    private void addSigs(org.xbill.DNS.RRSIGRecord[] sigs, Name owner, int section) {
      if (sigs == null) {
        return;
      }
      for (org.xbill.DNS.RRSIGRecord r : sigs) {
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

    /** The highest zone cut strictly between the apex and name, or name itself (not for DS). */
    private Name findCut(Zone zone, Name name) {
      int apexLabels = zone.origin().labels();
      int labels = name.labels();
      for (int l = apexLabels + 1; l <= labels; l++) {
        Name candidate = l == labels ? name : new Name(name, labels - l);
        if (l == labels && qtype == Type.DS) {
          return null; // the parent side answers DS at the cut itself
        }
        Node node = zone.lookup(candidate);
        if (node == null) {
          return null; // nothing below a missing name can be a cut
        }
        if (zone.isCut(candidate, node)) {
          return candidate;
        }
      }
      return null;
    }

    private Name wildcardOf(Name closest) {
      try {
        return Name.concatenate(WILDCARD, closest);
      } catch (org.xbill.DNS.NameTooLongException e) {
        return null; // no room for "*.": there can be no wildcard here
      }
    }

    private Name closestEncloser(Zone zone, Name name) {
      int labels = name.labels();
      for (int strip = 1; strip < labels - zone.origin().labels(); strip++) {
        Name ancestor = new Name(name, strip);
        if (zone.lookup(ancestor) != null) {
          return ancestor;
        }
      }
      return zone.origin();
    }

    private void referral(Zone zone, Name cut) {
      if (resp.getSection(Section.ANSWER).isEmpty()) {
        // AA describes the answer's first owner (RFC 1035 §4.1.1): after a CNAME of ours the
        // answer is still authoritative, even though the chain ends in a referral.
        resp.getHeader().unsetFlag(Flags.AA);
      }
      RRset ns = zone.lookup(cut).rrset(Type.NS);
      addSet(ns, cut, false, Section.AUTHORITY);
      if (signer != null) {
        // The DS with its signatures, or the signed proof that there is none (an insecure
        // delegation): the NSEC at the cut lists NS but neither DS nor SOA.
        Node at = zone.lookup(cut);
        RRset ds = at.rrset(Type.DS);
        if (ds != null) {
          addSet(ds, cut, false, Section.AUTHORITY);
        } else {
          addNsec(cut, at.types());
        }
      }
      // In-domain glue first: all of it must fit or the response says TC (RFC 9471 §3.1, see
      // Responder#encode); sibling glue after it, only where there is room.
      for (Record r : ns.rrs(false)) {
        if (r.getAdditionalName().subdomain(cut)) {
          addGlue(zone, r.getAdditionalName());
        }
      }
      for (Record r : ns.rrs(false)) {
        if (!r.getAdditionalName().subdomain(cut)) {
          addGlue(zone, r.getAdditionalName());
        }
      }
    }

    /** Glue: addresses of NS targets that live in this zone's data (in or below the cut). */
    private void addGlue(Zone zone, Name target) {
      if (target == null || !target.subdomain(zone.origin())) {
        return;
      }
      Node node = zone.lookup(target);
      if (node != null) {
        addAddresses(node, target, false);
      }
    }

    private void addAdditional(RRset set) {
      int type = set.getType();
      if (type != Type.NS && type != Type.MX && type != Type.SRV) {
        return;
      }
      for (Record r : set.rrs(false)) {
        Name target = r.getAdditionalName();
        if (target == null) {
          continue;
        }
        Zone zone = catalog.zones().find(target);
        if (zone == null || findCut(zone, target) != null) {
          continue;
        }
        Node node = zone.lookup(target);
        boolean synthesised = false;
        if (node == null) {
          // A target that exists only through a wildcard gets its synthesised addresses, as
          // Knot and NSD give them (optional in RFC 1034 §4.3.2 step 6, but expected).
          Name wildcardName = wildcardOf(closestEncloser(zone, target));
          node = wildcardName == null ? null : zone.lookup(wildcardName);
          synthesised = true;
        }
        if (node != null) {
          addAddresses(node, target, synthesised);
        }
      }
    }

    private void addAddresses(Node node, Name owner, boolean synthesised) {
      for (int type : new int[] {Type.A, Type.AAAA}) {
        RRset set = node.rrset(type);
        if (set != null && !resp.findRRset(owner, type, Section.ADDITIONAL)
            && !resp.findRRset(owner, type, Section.ANSWER)) {
          addSet(set, owner, synthesised, Section.ADDITIONAL);
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

  private void addOpt(Message resp, Query q, int rcode, int ecsScope) {
    List<EDNSOption> options = new ArrayList<>(1);
    if (ecsScope == NOT_AUTHORITATIVE) {
      // As Knot does: tell the client why (RFC 8914 §4.21, EDE 20 "Not Authoritative").
      options.add(new ExtendedErrorCodeOption(ExtendedErrorCodeOption.NOT_AUTHORITATIVE));
      ecsScope = 0;
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
