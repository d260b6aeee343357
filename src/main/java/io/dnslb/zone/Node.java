package io.dnslb.zone;

import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

/**
 * All RRsets at one owner name, immutable. A node with no RRsets is an empty non-terminal: it
 * exists (so NODATA, not NXDOMAIN) but holds nothing.
 *
 * <p>Two forms behind one API. A node of a loaded zone is a view of one entry of the zone's
 * {@link NodeTable} (made by {@link Zone#lookup}): its RRsets are kept encoded and each {@link
 * #rrset} call builds a new dnsjava RRset from them, which is why the answer cache, not this
 * class, is what makes repeated answers cheap. A node given its RRsets as objects (the apex of a
 * signed zone, names added for pools) holds them in one small array sorted by type, and returns
 * the same objects every time (signatures are looked up by RRset identity).
 */
public final class Node {
  /** The empty non-terminal: shared, since it holds nothing. */
  static final Node EMPTY = new Node(List.of());

  private final RRset[] sets;
  private final NodeTable table;
  private final int index;
  private Name owner; // the table entry's name, made on first use

  Node(Collection<RRset> sets) {
    this.sets = sets.toArray(new RRset[0]);
    Arrays.sort(this.sets, Comparator.comparingInt(RRset::getType));
    this.table = null;
    this.index = -1;
  }

  Node(NodeTable table, int index) {
    this.sets = null;
    this.table = table;
    this.index = index;
  }

  /** The RRset of this type, or null. */
  public RRset rrset(int type) {
    if (table != null) {
      return table.has(index, type) ? table.rrset(index, type, owner()) : null;
    }
    for (RRset s : sets) {
      if (s.getType() == type) {
        return s;
      }
    }
    return null;
  }

  /** True if this node holds an RRset of this type (no RRset is built). */
  public boolean has(int type) {
    if (table != null) {
      return table.has(index, type);
    }
    for (RRset s : sets) {
      if (s.getType() == type) {
        return true;
      }
    }
    return false;
  }

  /** The RRsets of this node, a copy, ordered by type. */
  public List<RRset> sets() {
    return table != null ? table.sets(index, owner()) : List.of(sets);
  }

  /** The types present, ascending (an NSEC type bitmap's input). */
  public int[] types() {
    if (table != null) {
      return table.types(index);
    }
    int[] t = new int[sets.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = sets[i].getType();
    }
    return t;
  }

  public boolean isEmptyNonTerminal() {
    return table != null ? table.isEmpty(index) : sets.length == 0;
  }

  /** The RRset with the lowest type number (the deterministic choice for minimal ANY), or null. */
  public RRset first() {
    if (table != null) {
      int t = table.firstType(index);
      return t < 0 ? null : table.rrset(index, t, owner());
    }
    return sets.length == 0 ? null : sets[0];
  }

  /** This node with its RRsets as objects (a copy out of the table, or this node). */
  Node materialized() {
    return table == null ? this : table.isEmpty(index) ? EMPTY : new Node(sets());
  }

  private Name owner() {
    Name n = owner;
    if (n == null) {
      n = table.name(index);
      owner = n;
    }
    return n;
  }
}
