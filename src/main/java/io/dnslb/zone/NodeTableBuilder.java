package io.dnslb.zone;

import java.util.Arrays;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Compiles parsed records into a {@link NodeTable}, streaming: each record is reduced to its
 * node, type, TTL and RDATA bytes as it comes from the parser and then dropped, so no list of
 * dnsjava records is ever held. {@link #finish} adds the empty non-terminals and lays out each
 * node's RRsets with dnsjava's RRset rules (RFC 2181 §5.2: one TTL per RRset, the lowest; a
 * record equal to one already in the set, by dnsjava's {@code Record.equals}, is dropped; an
 * RRSIG joins the RRset of the type it covers).
 */
final class NodeTableBuilder {
  /** What a node holds so far, for the loader's CNAME rules. */
  static final int HAS_CNAME = 1;
  static final int HAS_OTHER_DATA = 2;

  private static final int MAX_RDATA = 65535;

  private final Name origin;
  private final byte[] originWire;

  // Per node.
  private final ByteSink names;
  private final IntList nameStart;
  private final IntList hashes;
  private final IntList head;
  private final IntList tail;
  private final ByteSink flags;
  private int[] slots;

  // Per record, in file order: set type, 1 if an RRSIG, TTL, RDATA position, next of the node.
  private final IntList recType;
  private final IntList recTtl;
  private final IntList recData;
  private final IntList recNext;
  private final ByteSink rdata;

  /** @param expectedRecords a guess that sizes the tables (no harm if wrong) */
  NodeTableBuilder(Name origin, int expectedRecords) {
    this.origin = origin;
    this.originWire = origin.toWire();
    int n = Math.max(16, expectedRecords);
    names = new ByteSink(n * 10);
    nameStart = new IntList(n);
    hashes = new IntList(n);
    head = new IntList(n);
    tail = new IntList(n);
    flags = new ByteSink(n);
    slots = new int[Integer.highestOneBit(n * 2 - 1) << 1];
    recType = new IntList(n);
    recTtl = new IntList(n);
    recData = new IntList(n);
    recNext = new IntList(n);
    rdata = new ByteSink(n * 6);
  }

  /**
   * A record's uncompressed wire form (owner, type, class, TTL, RDLENGTH, RDATA): one encoding
   * serves both {@link #node} and {@link #add}.
   *
   * @return null if its RDATA is over 65535 bytes (it parses, but no message can carry it)
   */
  static byte[] wire(Record r) {
    try {
      byte[] wire = r.toWire(Section.ANSWER);
      return wire.length - r.getName().length() - 10 > MAX_RDATA ? null : wire;
    } catch (IllegalArgumentException rdlengthOver16Bits) {
      return null;
    }
  }

  /**
   * The node of a record's owner (inside the origin), made if new; its case as here is kept.
   *
   * @param wire the record's {@link #wire}, whose first ownerLength bytes are the owner
   */
  int node(byte[] wire, int ownerLength) {
    int rel = ownerLength - originWire.length;
    boolean ownCase = !Arrays.equals(wire, rel, ownerLength, originWire, 0, originWire.length);
    return node(wire, 0, rel, ownCase ? wire : null, rel);
  }

  /** {@link #flags} of a node: {@link #HAS_CNAME}, {@link #HAS_OTHER_DATA}. */
  int flags(int node) {
    return flags.array()[node];
  }

  /** Files a record at its node; wire is the record's {@link #wire}. */
  void add(int node, Record r, byte[] wire) {
    int off = r.getName().length() + 10;
    add(node, r.getType(), EncodedSets.setType(r), r.getTTL(), wire, off, wire.length - off);
  }

  /** Files a record of a type other than RRSIG at its node: RDATA is data[off, off + len). */
  void add(int node, int type, long ttl, byte[] data, int off, int len) {
    add(node, type, type, ttl, data, off, len);
  }

  private void add(int node, int type, int setType, long ttl, byte[] data, int off, int len) {
    boolean sig = type == Type.RRSIG;
    int rec = recType.size();
    recType.add(setType | (sig ? 1 << 16 : 0));
    recTtl.add((int) ttl);
    recData.add(rdata.size());
    recNext.add(-1);
    rdata.u16(len);
    rdata.write(data, off, len);
    if (head.get(node) < 0) {
      head.set(node, rec);
    } else {
      recNext.set(tail.get(node), rec);
    }
    tail.set(node, rec);
    byte[] f = flags.array();
    if (type == Type.CNAME) {
      f[node] |= HAS_CNAME;
    } else if (!(sig || type == Type.NSEC || type == Type.NSEC3)) {
      f[node] |= HAS_OTHER_DATA;
    }
  }

  /** Adds the empty non-terminals and lays out the RRsets. The builder is spent after. */
  NodeTable finish() {
    addEmptyNonTerminals();
    int size = nameStart.size();
    ByteSink data = new ByteSink(rdata.size() + size * (EncodedSets.HEADER + 2));
    int[] dataStart = new int[size + 1];
    Group g = new Group();
    for (int i = 0; i < size; i++) {
      dataStart[i] = data.size();
      g.collect(head.get(i));
      g.encode(data);
    }
    dataStart[size] = data.size();
    return new NodeTable(origin, size, names.toArray(), nameStart.toArray(), hashes.toArray(),
        data.toArray(), dataStart, slots);
  }

  /**
   * Every ancestor between a name and the origin exists (RFC 4592 §2.2.2): an empty
   * non-terminal answers NODATA and blocks wildcard synthesis. Its name is its descendant's
   * labels, case as written there.
   */
  private void addEmptyNonTerminals() {
    int owners = nameStart.size();
    for (int i = 0; i < owners; i++) {
      int p = nameStart.get(i);
      byte[] n = names.array();
      int rel = n[p] & 0xFF;
      if (rel == 0 || 1 + (n[p + 2] & 0xFF) >= rel) {
        continue; // the origin itself, or one label below it: no ancestor to add
      }
      boolean ownCase = n[p + 1] != 0;
      byte[] own = Arrays.copyOfRange(n, p + 2, p + 2 + rel + (ownCase ? originWire.length : 0));
      for (int off = 1 + own[0]; off < rel; off += 1 + own[off]) {
        int before = nameStart.size();
        node(own, off, rel - off, ownCase ? own : null, rel);
        if (nameStart.size() == before) {
          // Present already: data (its own ancestors get added when it is walked) or an ENT
          // whose ancestors were added with it. Either way the rest of the chain is covered.
          break;
        }
      }
    }
  }

  /**
   * The node of relative labels b[off, off + len), made if new.
   *
   * @param caseSource where the origin's labels as written follow, at suffixAt; null for the
   *     $ORIGIN's own case
   */
  private int node(byte[] b, int off, int len, byte[] caseSource, int suffixAt) {
    int h = NodeTable.hash(b, off, len);
    int mask = slots.length - 1;
    int s = h & mask;
    for (; slots[s] != 0; s = (s + 1) & mask) {
      int i = slots[s] - 1;
      if (hashes.get(i) == h && sameRelative(i, b, off, len)) {
        return i;
      }
    }
    int i = nameStart.size();
    slots[s] = i + 1;
    nameStart.add(names.size());
    hashes.add(h);
    head.add(-1);
    tail.add(-1);
    flags.u8(0);
    names.u8(len);
    names.u8(caseSource == null ? 0 : 1);
    names.write(b, off, len);
    if (caseSource != null) {
      names.write(caseSource, suffixAt, originWire.length);
    }
    if (nameStart.size() * 2 > slots.length) {
      grow();
    }
    return i;
  }

  private boolean sameRelative(int i, byte[] b, int off, int len) {
    byte[] n = names.array();
    int p = nameStart.get(i);
    if ((n[p] & 0xFF) != len) {
      return false;
    }
    for (int k = 0; k < len; k++) {
      if (NodeTable.lower(n[p + 2 + k]) != NodeTable.lower(b[off + k])) {
        return false;
      }
    }
    return true;
  }

  private void grow() {
    int[] next = new int[slots.length * 2];
    int mask = next.length - 1;
    for (int i = 0; i < nameStart.size(); i++) {
      int s = hashes.get(i) & mask;
      while (next[s] != 0) {
        s = (s + 1) & mask;
      }
      next[s] = i + 1;
    }
    slots = next;
  }

  /** One node's records while its RRsets are laid out; reused from node to node. */
  private final class Group {
    private int[] recs = new int[8];
    private int n;

    void collect(int first) {
      n = 0;
      for (int r = first; r >= 0; r = recNext.get(r)) {
        if (n == recs.length) {
          recs = Arrays.copyOf(recs, n * 2);
        }
        recs[n++] = r;
      }
      // Stable insertion sort by set type: nodes hold a handful of records.
      for (int a = 1; a < n; a++) {
        int r = recs[a];
        int t = setType(r);
        int b = a - 1;
        while (b >= 0 && setType(recs[b]) > t) {
          recs[b + 1] = recs[b];
          b--;
        }
        recs[b + 1] = r;
      }
    }

    void encode(ByteSink out) {
      for (int from = 0; from < n; ) {
        int type = setType(recs[from]);
        int to = from;
        while (to < n && setType(recs[to]) == type) {
          to++;
        }
        encodeSet(out, type, from, to);
        from = to;
      }
    }

    /** recs[from, to): one type's records and signatures in file order. */
    private void encodeSet(ByteSink out, int type, int from, int to) {
      long ttl = Long.MAX_VALUE;
      for (int k = from; k < to; k++) {
        ttl = Math.min(ttl, recTtl.get(recs[k]) & 0xFFFFFFFFL);
      }
      byte[][] canonical = to - from > 1 ? canonical(type, from, to) : null;
      int records = 0;
      int sigs = 0;
      for (int k = from; k < to; k++) {
        if (canonical != null && duplicate(canonical, from, k)) {
          recs[k] = -1 - recs[k]; // dropped, as RRset.addRR drops an equal record
        } else if (isSig(recs[k])) {
          sigs++;
        } else {
          records++;
        }
      }
      EncodedSets.header(out, type, ttl, records, sigs);
      for (int pass = 0; pass < 2; pass++) {
        for (int k = from; k < to; k++) {
          int r = recs[k];
          if (r >= 0 && isSig(r) == (pass == 1)) {
            int p = recData.get(r);
            EncodedSets.record(out, rdata.array(), p + 2, EncodedSets.u16(rdata.array(), p));
          }
        }
      }
    }

    /** dnsjava's equality of records is equality of canonical RDATA (names lower-cased). */
    private byte[][] canonical(int type, int from, int to) {
      byte[][] c = new byte[to - from][];
      for (int k = from; k < to; k++) {
        int r = recs[k];
        int p = recData.get(r);
        byte[] d = Arrays.copyOfRange(rdata.array(), p + 2, p + 2 + EncodedSets.u16(rdata.array(), p));
        c[k - from] = Record.newRecord(origin, isSig(r) ? Type.RRSIG : type, DClass.IN, 0, d)
            .rdataToWireCanonical();
      }
      return c;
    }

    private boolean duplicate(byte[][] canonical, int from, int k) {
      for (int j = from; j < k; j++) {
        if (recs[j] >= 0 && isSig(recs[j]) == isSig(recs[k])
            && Arrays.equals(canonical[j - from], canonical[k - from])) {
          return true;
        }
      }
      return false;
    }

    private int setType(int r) {
      return recType.get(r) & 0xFFFF;
    }

    private boolean isSig(int r) {
      return (recType.get(r) >>> 16) != 0;
    }
  }
}
