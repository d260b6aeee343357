package io.dnslb.zone;

import java.io.IOException;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

/**
 * A zone's names and RRsets in the server's own compact form, built once at load by {@link
 * NodeTableBuilder} and read-only after: no dnsjava object per name or record, so a million-record
 * zone costs tens of bytes per record instead of hundreds, and the garbage collector has a handful
 * of arrays to trace instead of millions of objects.
 *
 * <p>Layout. Node {@code i} (a name with data, or an empty non-terminal) has its owner name in
 * {@link #names} from {@code nameStart[i]}: one byte L, one byte F, then the L bytes of the labels
 * below the origin in wire form as first written (no terminating zero), then, if F is 1, the
 * origin's labels as that owner wrote them (a case other than the {@code $ORIGIN}'s). Its RRsets
 * are {@code data[dataStart[i] .. dataStart[i + 1])}, ascending by type, each as written by
 * {@link EncodedSets}. Names are found by open addressing in {@link #slots} over a hash of the
 * lower-cased relative labels.
 *
 * <p>dnsjava stays the source of truth: the RDATA bytes are what dnsjava wrote for the parsed
 * record, and {@link #rrset} gives back dnsjava records made from them by dnsjava's own wire parser.
 */
final class NodeTable {
  private final Name origin;
  /** The origin's wire form as written in the file, and lower-cased (for comparisons). */
  private final byte[] originWire;
  private final byte[] originLower;
  private final int size;
  private final byte[] names;
  private final int[] nameStart;
  private final int[] hashes;
  private final byte[] data;
  private final int[] dataStart;
  /** Node index + 1 per slot, 0 for empty; a power of two at most half full. */
  private final int[] slots;

  NodeTable(Name origin, int size, byte[] names, int[] nameStart, int[] hashes, byte[] data,
      int[] dataStart, int[] slots) {
    this.origin = origin;
    this.originWire = origin.toWire();
    this.originLower = origin.toWireCanonical();
    this.size = size;
    this.names = names;
    this.nameStart = nameStart;
    this.hashes = hashes;
    this.data = data;
    this.dataStart = dataStart;
    this.slots = slots;
  }

  int size() {
    return size;
  }

  /** The index of the node at this name (any case), or -1. Allocates the name's wire form. */
  int find(Name name) {
    if (name.labels() < origin.labels()) {
      return -1;
    }
    byte[] q = name.toWireCanonical();
    int rel = q.length - originLower.length;
    if (rel < 0 || rel > 255 || !java.util.Arrays.equals(q, rel, q.length, originLower, 0,
        originLower.length)) {
      return -1;
    }
    int h = hash(q, 0, rel);
    int mask = slots.length - 1;
    for (int s = h & mask; ; s = (s + 1) & mask) {
      int v = slots[s];
      if (v == 0) {
        return -1;
      }
      int i = v - 1;
      if (hashes[i] == h && sameRelative(i, q, 0, rel)) {
        return i;
      }
    }
  }

  /** True if node i's relative labels equal {@code b[off, off + len)}, which is lower case. */
  private boolean sameRelative(int i, byte[] b, int off, int len) {
    int p = nameStart[i];
    if ((names[p] & 0xFF) != len) {
      return false;
    }
    p += 2;
    for (int k = 0; k < len; k++) {
      if (lower(names[p + k]) != b[off + k]) {
        return false;
      }
    }
    return true;
  }

  /** The owner name of node i, as first written. */
  Name name(int i) {
    int p = nameStart[i];
    int rel = names[p] & 0xFF;
    boolean ownCase = names[p + 1] != 0;
    byte[] wire = new byte[rel + originWire.length];
    System.arraycopy(names, p + 2, wire, 0, rel);
    if (ownCase) {
      System.arraycopy(names, p + 2 + rel, wire, rel, originWire.length);
    } else {
      System.arraycopy(originWire, 0, wire, rel, originWire.length);
    }
    try {
      return new Name(wire);
    } catch (IOException e) {
      throw new IllegalStateException("corrupt name table at node " + i, e);
    }
  }

  boolean isEmpty(int i) {
    return dataStart[i] == dataStart[i + 1];
  }

  /** The types at node i, ascending. */
  int[] types(int i) {
    int end = dataStart[i + 1];
    int n = 0;
    for (int p = dataStart[i]; p < end; p = EncodedSets.next(data, p)) {
      n++;
    }
    int[] t = new int[n];
    n = 0;
    for (int p = dataStart[i]; p < end; p = EncodedSets.next(data, p)) {
      t[n++] = EncodedSets.type(data, p);
    }
    return t;
  }

  boolean has(int i, int type) {
    return position(i, type) >= 0;
  }

  /** Where node i's RRset of this type starts in {@link #data}, or -1. */
  private int position(int i, int type) {
    int end = dataStart[i + 1];
    for (int p = dataStart[i]; p < end; p = EncodedSets.next(data, p)) {
      int t = EncodedSets.type(data, p);
      if (t == type) {
        return p;
      }
      if (t > type) {
        return -1;
      }
    }
    return -1;
  }

  /** A new dnsjava RRset for node i and this type, or null. */
  RRset rrset(int i, int type, Name owner) {
    int p = position(i, type);
    return p < 0 ? null : EncodedSets.decode(data, p, owner);
  }

  /** New dnsjava RRsets for every type at node i, ascending by type. */
  java.util.List<RRset> sets(int i, Name owner) {
    java.util.List<RRset> out = new java.util.ArrayList<>(2);
    int end = dataStart[i + 1];
    for (int p = dataStart[i]; p < end; p = EncodedSets.next(data, p)) {
      out.add(EncodedSets.decode(data, p, owner));
    }
    return out;
  }

  /** The lowest type at node i (its first RRset), or -1 for an empty non-terminal. */
  int firstType(int i) {
    return isEmpty(i) ? -1 : EncodedSets.type(data, dataStart[i]);
  }

  static byte lower(byte b) {
    return b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
  }

  /** FNV-1a over lower-cased bytes, then a finalizer so that similar names spread over slots. */
  static int hash(byte[] b, int off, int len) {
    int h = 0x811C9DC5;
    for (int k = off; k < off + len; k++) {
      h = (h ^ (lower(b[k]) & 0xFF)) * 0x01000193;
    }
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    h *= 0xC2B2AE35;
    return h ^ (h >>> 16);
  }
}
