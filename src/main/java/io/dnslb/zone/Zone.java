package io.dnslb.zone;

import java.nio.file.Path;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * One loaded zone: immutable, safe to read from any thread without locks. The names and RRsets
 * of the zone file are in a compact {@link NodeTable} (including every empty non-terminal);
 * names given as objects afterwards (the apex sets of a signed zone, pool names) are in a small
 * map consulted first. Each lookup on the query path is one hash probe per label.
 */
public final class Zone {
  private final Name origin;
  private final Path file;
  /** The zone file's names, or null once the zone is materialized (see withApexSets). */
  private final NodeTable table;
  /** Names given as objects: checked before the table, and all of them when table is null. */
  private final Map<Name, Node> nodes;
  private final SOARecord soa;
  private final int recordCount;
  private final SOARecord negativeSoa;

  Zone(Name origin, Path file, NodeTable table, Map<Name, Node> nodes, SOARecord soa,
      int recordCount) {
    this.origin = origin;
    this.file = file;
    this.table = table;
    this.nodes = nodes;
    this.soa = soa;
    this.recordCount = recordCount;
    // RFC 2308 §3: the SOA in a negative answer has TTL min(SOA TTL, SOA MINIMUM).
    this.negativeSoa = new SOARecord(soa.getName(), soa.getDClass(),
        Math.min(soa.getTTL(), soa.getMinimum()), soa.getHost(), soa.getAdmin(),
        soa.getSerial(), soa.getRefresh(), soa.getRetry(), soa.getExpire(), soa.getMinimum());
  }

  public Name origin() {
    return origin;
  }

  public Path file() {
    return file;
  }

  public SOARecord soa() {
    return soa;
  }

  /** The SOA for the authority section of NXDOMAIN and NODATA answers. */
  public SOARecord negativeSoa() {
    return negativeSoa;
  }

  public int recordCount() {
    return recordCount;
  }

  /** The node at this exact name (case-insensitive), an empty non-terminal node, or null. */
  public Node lookup(Name name) {
    if (!nodes.isEmpty()) {
      Node n = nodes.get(name);
      if (n != null) {
        return n;
      }
    }
    if (table == null) {
      return null;
    }
    int i = table.find(name);
    return i < 0 ? null : new Node(table, i);
  }

  private boolean contains(Name name) {
    return nodes.containsKey(name) || (table != null && table.find(name) >= 0);
  }

  /** True if the name is a zone cut below the apex (it owns NS records but is not the origin). */
  public boolean isCut(Name name, Node node) {
    return node != null && !name.equals(origin) && node.has(Type.NS);
  }

  /** Calls back for every name of the zone (data and empty non-terminals); for load-time work. */
  public void forEachNode(java.util.function.BiConsumer<Name, Node> action) {
    if (table != null) {
      for (int i = 0; i < table.size(); i++) {
        Name name = table.name(i);
        if (!nodes.containsKey(name)) {
          action.accept(name, new Node(table, i));
        }
      }
    }
    nodes.forEach(action);
  }

  /**
   * This zone with more RRsets at the apex (DNSKEY, CDS, CDNSKEY made from the signing keys);
   * a type already present is replaced.
   */
  public Zone withApexSets(java.util.List<org.xbill.DNS.RRset> sets) {
    // A signed zone is materialized: its RRsets become objects held once, because signatures
    // are found by RRset identity (ZoneSigner). Signing costs far more per record anyway.
    Map<Name, Node> copy = new java.util.HashMap<>();
    forEachNode((name, node) -> copy.put(name, node.materialized()));
    Node apex = copy.get(origin);
    java.util.List<org.xbill.DNS.RRset> merged = new java.util.ArrayList<>(sets);
    for (org.xbill.DNS.RRset s : apex.sets()) {
      if (sets.stream().noneMatch(n -> n.getType() == s.getType())) {
        merged.add(s);
      }
    }
    copy.put(origin, new Node(merged));
    return new Zone(origin, file, null, copy, soa, recordCount);
  }

  /**
   * This zone with extra names made to exist (as empty non-terminals, with their ancestors) where
   * no data stands yet: pool names answer from pools, but NXDOMAIN/NODATA and wildcard blocking
   * must treat them as existing names. Returns this zone when nothing is added.
   */
  public Zone withNames(Iterable<Name> extra) {
    Map<Name, Node> copy = null;
    for (Name name : extra) {
      if (!name.subdomain(origin) || contains(name)) {
        continue;
      }
      if (copy == null) {
        copy = new java.util.HashMap<>(nodes);
      }
      for (int strip = 0; strip < name.labels() - origin.labels(); strip++) {
        Name n = strip == 0 ? name : new Name(name, strip);
        if ((strip > 0 && table != null && table.find(n) >= 0)
            || copy.putIfAbsent(n, Node.EMPTY) != null) {
          break;
        }
      }
    }
    return copy == null ? this : new Zone(origin, file, table, copy, soa, recordCount);
  }

}
