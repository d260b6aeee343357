package io.dnslb.zone;

import java.util.Map;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * All RRsets at one owner name, immutable after load. A node with no RRsets is an empty
 * non-terminal: it exists (so NODATA, not NXDOMAIN) but holds nothing.
 */
public final class Node {
  /** The empty non-terminal: shared, since it holds nothing. */
  static final Node EMPTY = new Node(Map.of());

  private final Map<Integer, RRset> sets;
  private final RRset[] ordered;

  Node(Map<Integer, RRset> sets) {
    this.sets = Map.copyOf(sets);
    this.ordered = this.sets.values().stream()
        .sorted((a, b) -> Integer.compare(a.getType(), b.getType()))
        .toArray(RRset[]::new);
  }

  /** The RRset of this type, or null. */
  public RRset rrset(int type) {
    return sets.get(type);
  }

  /** Every RRset, ordered by type number (stable, so ANY answers are deterministic). */
  public RRset[] rrsets() {
    return ordered.clone();
  }

  public boolean isEmptyNonTerminal() {
    return ordered.length == 0;
  }

  public boolean hasCname() {
    return sets.containsKey(Type.CNAME);
  }

  public int size() {
    return ordered.length;
  }

  public RRset first() {
    return ordered.length == 0 ? null : ordered[0];
  }
}
