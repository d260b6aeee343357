package io.dnslb.zone;

import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.xbill.DNS.RRset;

/**
 * All RRsets at one owner name, immutable after load. A node with no RRsets is an empty
 * non-terminal: it exists (so NODATA, not NXDOMAIN) but holds nothing. The RRsets sit in one
 * small array sorted by type: names hold a handful of types, so a scan beats a map and keeps a
 * million-name zone compact.
 */
public final class Node {
  /** The empty non-terminal: shared, since it holds nothing. */
  static final Node EMPTY = new Node(List.of());

  private final RRset[] sets;

  Node(Collection<RRset> sets) {
    this.sets = sets.toArray(new RRset[0]);
    Arrays.sort(this.sets, Comparator.comparingInt(RRset::getType));
  }

  /** The RRset of this type, or null. */
  public RRset rrset(int type) {
    for (RRset s : sets) {
      if (s.getType() == type) {
        return s;
      }
    }
    return null;
  }

  /** The RRsets of this node, a copy, ordered by type. */
  public java.util.List<RRset> sets() {
    return java.util.List.of(sets);
  }

  /** The types present, ascending (an NSEC type bitmap's input). */
  public int[] types() {
    int[] t = new int[sets.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = sets[i].getType();
    }
    return t;
  }

  public boolean isEmptyNonTerminal() {
    return sets.length == 0;
  }

  /** The RRset with the lowest type number (the deterministic choice for minimal ANY), or null. */
  public RRset first() {
    return sets.length == 0 ? null : sets[0];
  }
}
