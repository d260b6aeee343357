package io.dnslb.answer;

import io.dnslb.answer.LookupResult.ChainEnd;
import io.dnslb.answer.LookupResult.Extra;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolAnswer;
import io.dnslb.wire.ClientSubnet;
import io.dnslb.zone.Node;
import io.dnslb.zone.Zone;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * RFC 1034 §4.3.2 over our zones and pools, with RFC 4592 wildcards, RFC 4035 §3.1.4.1 (DS on the
 * parent side) and CNAME chains across our zones: decides which case a question is and with which
 * RRsets, and writes nothing. A pure function of the catalog, the question and (for pools) the
 * client; no I/O, no locks, no clock.
 */
public final class Lookup {
  private static final Name WILDCARD = Name.fromConstantString("*");
  private static final LookupResult REFUSED = new LookupResult.Refused(false);
  private static final LookupResult NOT_OURS = new LookupResult.Refused(true);
  private static final LookupResult META_TYPE = new LookupResult.MetaType();

  private final int maxCnameChain;
  private final ChaosAnswers chaos;

  public Lookup(int maxCnameChain, ChaosAnswers chaos) {
    this.maxCnameChain = maxCnameChain;
    this.chaos = chaos;
  }

  /** The result for one question; pools choose for {@code client}. */
  public LookupResult find(Catalog catalog, Name qname, int qtype, int qclass,
      ClientSubnet client) {
    if (qclass == DClass.CH) {
      Record txt = chaos.answer(qname, qtype);
      return txt == null ? REFUSED : new LookupResult.Chaos(txt);
    }
    if (qclass != DClass.IN && qclass != DClass.ANY) {
      return REFUSED;
    }
    if (qtype == Type.OPT || qtype == Type.TSIG || qtype == Type.TKEY) {
      return META_TYPE;
    }
    if (qtype == Type.AXFR || qtype == Type.IXFR) {
      return REFUSED; // zone transfer is not offered
    }
    return new Walk(catalog, qtype, client, true).from(qname);
  }

  /**
   * The same walk as {@link #find} for class IN, except that a pool name ends it as {@link
   * LookupResult.PoolName} without asking the pool's selector: for explaining an answer, which
   * must not change the next one.
   */
  public LookupResult route(Catalog catalog, Name qname, int qtype) {
    return new Walk(catalog, qtype, null, false).from(qname);
  }

  /** One resolution through a CNAME chain. */
  private final class Walk {
    private final Catalog catalog;
    private final int qtype;
    private final ClientSubnet client;
    /** False when routing only: a pool name ends the walk, its selector not asked. */
    private final boolean select;
    private Set<Name> visited;

    Walk(Catalog catalog, int qtype, ClientSubnet client, boolean select) {
      this.catalog = catalog;
      this.qtype = qtype;
      this.client = client;
      this.select = select;
    }

    LookupResult from(Name qname) {
      Zone zone = catalog.zones().find(qname);
      if (zone == null) {
        return NOT_OURS;
      }
      return at(zone, qname, 0);
    }

    private LookupResult at(Zone zone, Name name, int hop) {
      if (qtype == Type.DS && name.equals(zone.origin())) {
        // DS lives on the parent side of a cut (RFC 4035 §3.1.4.1).
        Zone parent = catalog.zones().parentOf(zone);
        if (parent != null && parent.lookup(name) != null) {
          zone = parent;
        }
      }
      return resolve(zone, name, hop);
    }

    /** The CNAME at name, with what follows it: the result at its target, or why not. */
    private LookupResult cname(Zone zone, Name name, RRset cname, boolean wildcard, int hop) {
      Name target = ((CNAMERecord) cname.first()).getTarget();
      if (hop + 1 >= maxCnameChain) {
        return new LookupResult.Cname(zone, name, cname, wildcard, ChainEnd.TOO_LONG, null);
      }
      if (!visit(name, target)) {
        return new LookupResult.Cname(zone, name, cname, wildcard, ChainEnd.LOOP, null);
      }
      Zone next = catalog.zones().find(target);
      if (next == null) {
        return new LookupResult.Cname(zone, name, cname, wildcard, ChainEnd.OUT_OF_ZONE, null);
      }
      return new LookupResult.Cname(zone, name, cname, wildcard, ChainEnd.FOLLOWED,
          at(next, target, hop + 1));
    }

    /** Records a hop from name to target; false when target was visited already (a loop). */
    private boolean visit(Name name, Name target) {
      if (visited == null) {
        visited = new HashSet<>();
        visited.add(name);
      }
      return visited.add(target);
    }

    /** The result for name within zone, the {@code hop}-th name of a CNAME chain. */
    private LookupResult resolve(Zone zone, Name name, int hop) {
      Name cut = findCut(zone, name, qtype);
      if (cut != null) {
        return delegation(zone, cut);
      }
      Node node = zone.lookup(name);
      Name source = null;
      if (node == null) {
        Name wildcardName = wildcardOf(closestEncloser(zone, name));
        Node wildcard = wildcardName == null ? null : zone.lookup(wildcardName);
        if (wildcard == null) {
          return new LookupResult.NxDomain(zone, name);
        }
        node = wildcard; // RFC 4592: synthesise from *.<closest encloser>, owner = qname
        source = wildcardName;
      }
      RRset cname = node.rrset(Type.CNAME);
      if (cname != null && qtype == Type.ANY) {
        // ANY matches CNAME: answer it and stop (step 3a restarts only when QTYPE does not
        // match).
        return answer(zone, name, source, cname, 0);
      }
      if (cname != null && qtype != Type.CNAME) {
        return cname(zone, name, cname, source != null, hop);
      }
      int ecsScope = 0;
      Pool pool = (qtype == Type.A || qtype == Type.AAAA || qtype == Type.ANY)
          ? catalog.pool(name) : null;
      if (pool != null) {
        if (!select) {
          return new LookupResult.PoolName(zone, name, pool);
        }
        PoolAnswer a = pool.answer(name, qtype == Type.ANY ? Type.A : qtype, client);
        ecsScope = a.ecsScope();
        if (a.servfail()) {
          return new LookupResult.PoolFailed(zone, name, ecsScope);
        }
        if (!a.records().isEmpty()) {
          return new LookupResult.Pooled(zone, name, a.records(), ecsScope, a.configuredTtl());
        }
        if (qtype != Type.ANY) {
          return new LookupResult.NoData(zone, name, zone.lookup(name), ecsScope);
        }
        // minimal ANY falls back to the node's own data
      }
      RRset set = qtype == Type.ANY ? node.first() : node.rrset(qtype);
      if (set == null) {
        return new LookupResult.NoData(zone, name, node, ecsScope);
      }
      return answer(zone, name, source, set, ecsScope);
    }

    private LookupResult answer(Zone zone, Name owner, Name source, RRset set, int ecsScope) {
      List<Extra> additional = additional(set);
      return source == null
          ? new LookupResult.Exact(zone, owner, set, additional, ecsScope)
          : new LookupResult.Wildcard(zone, owner, source, set, additional, ecsScope);
    }

    private LookupResult delegation(Zone zone, Name cut) {
      Node at = zone.lookup(cut);
      RRset ns = at.rrset(Type.NS);
      List<Extra> glue = new ArrayList<>();
      // In-domain glue first: all of it must fit or the response says TC (RFC 9471 §3.1);
      // sibling glue after it, only where there is room.
      for (Record r : ns.rrs(false)) {
        if (r.getAdditionalName().subdomain(cut)) {
          glue(zone, r.getAdditionalName(), glue);
        }
      }
      for (Record r : ns.rrs(false)) {
        if (!r.getAdditionalName().subdomain(cut)) {
          glue(zone, r.getAdditionalName(), glue);
        }
      }
      return new LookupResult.Delegation(zone, cut, at, ns, glue);
    }

    /** Glue: addresses of NS targets that live in this zone's data (in or below the cut). */
    private void glue(Zone zone, Name target, List<Extra> out) {
      if (target == null || !target.subdomain(zone.origin())) {
        return;
      }
      Node node = zone.lookup(target);
      if (node != null) {
        addresses(node, target, false, out);
      }
    }

    /** RFC 1034 §4.3.2 step 6: addresses of NS, MX and SRV targets in our zones. */
    private List<Extra> additional(RRset set) {
      int type = set.getType();
      if (type != Type.NS && type != Type.MX && type != Type.SRV) {
        return List.of();
      }
      List<Extra> out = new ArrayList<>();
      for (Record r : set.rrs(false)) {
        Name target = r.getAdditionalName();
        if (target == null) {
          continue;
        }
        Zone zone = catalog.zones().find(target);
        if (zone == null || findCut(zone, target, qtype) != null) {
          continue;
        }
        Node node = zone.lookup(target);
        boolean synthesised = false;
        if (node == null) {
          // A target that exists only through a wildcard gets its synthesised addresses, as
          // Knot and NSD give them (optional in step 6, but expected).
          Name wildcardName = wildcardOf(closestEncloser(zone, target));
          node = wildcardName == null ? null : zone.lookup(wildcardName);
          synthesised = true;
        }
        if (node != null) {
          addresses(node, target, synthesised, out);
        }
      }
      return out;
    }

    private void addresses(Node node, Name owner, boolean synthesised, List<Extra> out) {
      for (int type : new int[] {Type.A, Type.AAAA}) {
        RRset set = node.rrset(type);
        if (set != null) {
          out.add(new Extra(owner, set, synthesised));
        }
      }
    }
  }

  /**
   * The highest zone cut strictly below the apex down to name itself; for DS, name itself is not
   * a cut (the parent side answers DS there).
   */
  private static Name findCut(Zone zone, Name name, int qtype) {
    int apexLabels = zone.origin().labels();
    int labels = name.labels();
    for (int l = apexLabels + 1; l <= labels; l++) {
      Name candidate = l == labels ? name : new Name(name, labels - l);
      if (l == labels && qtype == Type.DS) {
        return null;
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

  private static Name wildcardOf(Name closest) {
    try {
      return Name.concatenate(WILDCARD, closest);
    } catch (NameTooLongException e) {
      return null; // no room for "*.": there can be no wildcard here
    }
  }

  private static Name closestEncloser(Zone zone, Name name) {
    int labels = name.labels();
    for (int strip = 1; strip < labels - zone.origin().labels(); strip++) {
      Name ancestor = new Name(name, strip);
      if (zone.lookup(ancestor) != null) {
        return ancestor;
      }
    }
    return zone.origin();
  }
}
