package io.dnslb.pool.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Longest-prefix match for one address family, as sorted disjoint address ranges searched by
 * bisection: no allocation, no trie nodes per bit, so a full GeoIP database (half a million
 * networks) stays a few arrays. Nested networks (a /16 inside a /8) are flattened at build
 * time into the pieces of the outer network around the inner ones.
 *
 * <p>A lookup also says how far its answer holds, for the ECS scope: the matched network's
 * prefix, lengthened only where a more specific network sits inside it (a resolver caching the
 * /8's answer for the whole /8 would give it to the /16's clients too). Outside every network
 * it is the widest block around the address that touches no network.
 *
 * <p>Addresses are 128-bit values {@code (hi, lo)}, left-aligned: an IPv4 address is the top
 * 32 bits of {@code hi}, so one code path serves both families.
 */
public final class RangeTable {
  /** One network: left-aligned address, prefix length, the value it maps to (a region). */
  public record Network(long hi, long lo, int prefix, int value) {}

  private final int bits;
  private final long[] startHi;
  private final long[] startLo;
  private final long[] endHi;
  private final long[] endLo;
  private final int[] values;
  private final byte[] prefixes;
  /**
   * By the address's top 16 bits k, the first range starting at or after k's block: a search
   * only bisects the few ranges of one /16 (IPv4) or /16 block (IPv6) instead of the whole table,
   * a handful of cache misses fewer per query. Null for small tables.
   */
  private final int[] directory;

  private RangeTable(int bits, List<long[]> ranges, List<int[]> meta) {
    this.bits = bits;
    int n = ranges.size();
    startHi = new long[n];
    startLo = new long[n];
    endHi = new long[n];
    endLo = new long[n];
    values = new int[n];
    prefixes = new byte[n];
    for (int i = 0; i < n; i++) {
      long[] r = ranges.get(i);
      startHi[i] = r[0];
      startLo[i] = r[1];
      endHi[i] = r[2];
      endLo[i] = r[3];
      values[i] = meta.get(i)[0];
      prefixes[i] = (byte) meta.get(i)[1];
    }
    directory = n < 256 ? null : directory(startHi);
  }

  private static int[] directory(long[] startHi) {
    int[] dir = new int[65537];
    int i = 0;
    for (int k = 0; k <= 65536; k++) {
      while (i < startHi.length && (startHi[i] >>> 48) < k) {
        i++;
      }
      dir[k] = i;
    }
    return dir;
  }

  /** An empty table of {@code bits} (32 or 128): every lookup misses. */
  public static RangeTable empty(int bits) {
    return new RangeTable(bits, List.of(), List.of());
  }

  /**
   * Builds the table. Networks must be distinct (the caller reports duplicates with their
   * lines); nested ones are fine, the longest prefix wins.
   */
  public static RangeTable of(int bits, List<Network> networks) {
    List<Network> sorted = new ArrayList<>(networks);
    sorted.sort(Comparator.<Network>comparingLong(n -> n.hi() ^ Long.MIN_VALUE)
        .thenComparingLong(n -> n.lo() ^ Long.MIN_VALUE)
        .thenComparingInt(Network::prefix));
    List<long[]> ranges = new ArrayList<>();
    List<int[]> meta = new ArrayList<>();
    // Sweep in address order with the stack of networks that contain the current position;
    // networks either nest or are disjoint, never overlap partly.
    List<Network> open = new ArrayList<>();
    long[] cursor = null; // next address not yet emitted, or null before the first network
    for (Network n : sorted) {
      while (!open.isEmpty() && !contains(open.get(open.size() - 1), n.hi(), n.lo(), bits)) {
        cursor = close(open.remove(open.size() - 1), cursor, ranges, meta, bits);
      }
      if (!open.isEmpty() && less(cursor[0], cursor[1], n.hi(), n.lo())) {
        long[] before = minusOne(n.hi(), n.lo());
        emit(cursor[0], cursor[1], before[0], before[1], open.get(open.size() - 1), ranges, meta);
      }
      open.add(n);
      cursor = new long[] {n.hi(), n.lo()};
    }
    while (!open.isEmpty()) {
      cursor = close(open.remove(open.size() - 1), cursor, ranges, meta, bits);
    }
    return new RangeTable(bits, ranges, meta);
  }

  /** Emits the rest of a network from the cursor on; returns the address after it. */
  private static long[] close(Network n, long[] cursor, List<long[]> ranges, List<int[]> meta,
      int bits) {
    long endHi = n.hi() | ~maskHi(n.prefix());
    long endLo = n.lo() | ~maskLo(n.prefix());
    if (bits == 32) {
      endHi &= 0xFFFFFFFF00000000L;
      endLo = 0;
    }
    if (cursor != null && !less(endHi, endLo, cursor[0], cursor[1])) {
      emit(cursor[0], cursor[1], endHi, endLo, n, ranges, meta);
    }
    boolean top = endHi == (bits == 32 ? 0xFFFFFFFF00000000L : -1L) && endLo == (bits == 32 ? 0 : -1L);
    return top ? null : plusOne(endHi, endLo, bits); // null: nothing lies after the top
  }

  private static void emit(long sHi, long sLo, long eHi, long eLo, Network n,
      List<long[]> ranges, List<int[]> meta) {
    ranges.add(new long[] {sHi, sLo, eHi, eLo});
    meta.add(new int[] {n.value(), n.prefix()});
  }

  private static boolean contains(Network n, long hi, long lo, int bits) {
    return (hi & maskHi(n.prefix())) == n.hi() && (lo & maskLo(n.prefix())) == n.lo();
  }

  /**
   * The value of the longest network holding the address and the prefix its answer holds for,
   * packed by {@link #pack}; {@link #value} is -1 when no network holds it.
   */
  public int lookup(long hi, long lo) {
    int lowIdx = 0;
    int high = startHi.length - 1;
    if (directory != null) {
      int k = (int) (hi >>> 48);
      lowIdx = Math.max(0, directory[k] - 1); // the range before the block may reach into it
      high = directory[k + 1] - 1;
    }
    int found = -1;
    while (lowIdx <= high) { // last range starting at or before the address
      int mid = (lowIdx + high) >>> 1;
      if (less(hi, lo, startHi[mid], startLo[mid])) {
        high = mid - 1;
      } else {
        found = mid;
        lowIdx = mid + 1;
      }
    }
    if (found >= 0 && !less(endHi[found], endLo[found], hi, lo)) {
      return pack(values[found], scope(hi, lo, prefixes[found], startHi[found], startLo[found],
          endHi[found], endLo[found]));
    }
    // In a gap: from just after the previous range to just before the next one.
    long gapStartHi = 0;
    long gapStartLo = 0;
    if (found >= 0) {
      if (bits == 32) {
        gapStartHi = endHi[found] + (1L << 32);
      } else {
        gapStartLo = endLo[found] + 1;
        gapStartHi = gapStartLo == 0 ? endHi[found] + 1 : endHi[found];
      }
    }
    long gapEndHi = bits == 32 ? 0xFFFFFFFF00000000L : -1L;
    long gapEndLo = bits == 32 ? 0 : -1L;
    if (found + 1 < startHi.length) {
      if (bits == 32) {
        gapEndHi = startHi[found + 1] - (1L << 32);
      } else {
        gapEndLo = startLo[found + 1] - 1;
        gapEndHi = startLo[found + 1] == 0 ? startHi[found + 1] - 1 : startHi[found + 1];
      }
    }
    return pack(-1, scope(hi, lo, 0, gapStartHi, gapStartLo, gapEndHi, gapEndLo));
  }

  /**
   * The shortest prefix, at least {@code from}, whose block around the address lies inside
   * [start, end] (which holds the address), in constant time: the block's first address stays
   * at or above the start once the prefix passes the first bit where address and start differ,
   * or earlier if the start is aligned that far; likewise for the end with trailing ones.
   */
  private int scope(long hi, long lo, int from, long sHi, long sLo, long eHi, long eLo) {
    if (bits == 32) {
      int a = (int) (hi >>> 32);
      int st = (int) (sHi >>> 32);
      int en = (int) (eHi >>> 32);
      int low = fit(Integer.numberOfLeadingZeros(a ^ st), Integer.numberOfTrailingZeros(st), 32);
      int high = fit(Integer.numberOfLeadingZeros(a ^ en), Integer.numberOfTrailingZeros(~en), 32);
      return Math.max(from, Math.max(low, high));
    }
    int low = fit(clz(hi ^ sHi, lo ^ sLo), ctz(sHi, sLo), 128);
    int high = fit(clz(hi ^ eHi, lo ^ eLo), ctz(~eHi, ~eLo), 128);
    return Math.max(from, Math.max(low, high));
  }

  /**
   * The shortest prefix whose block meets one bound: {@code differ} is the first bit where the
   * address and the bound differ ({@code bits} if none), {@code aligned} how many low bits of the
   * bound are zero (for the start) or one (for the end).
   */
  private static int fit(int differ, int aligned, int bits) {
    int alignedPrefix = bits - aligned;
    return alignedPrefix <= differ ? alignedPrefix : differ + 1;
  }

  private static int clz(long hi, long lo) {
    return hi != 0 ? Long.numberOfLeadingZeros(hi) : 64 + Long.numberOfLeadingZeros(lo);
  }

  private static int ctz(long hi, long lo) {
    return lo != 0 ? Long.numberOfTrailingZeros(lo) : 64 + Long.numberOfTrailingZeros(hi);
  }

  public int size() {
    return values.length;
  }

  /** Packs a value (-1 for none, else below 2^23) and a prefix (0..128) into one int. */
  public static int pack(int value, int prefix) {
    return ((value + 1) << 8) | prefix;
  }

  public static int value(int packed) {
    return (packed >>> 8) - 1;
  }

  public static int prefix(int packed) {
    return packed & 0xFF;
  }

  /** The top {@code prefix} bits of the high word set. */
  static long maskHi(int prefix) {
    return prefix <= 0 ? 0 : prefix >= 64 ? -1L : -1L << (64 - prefix);
  }

  static long maskLo(int prefix) {
    return prefix <= 64 ? 0 : prefix >= 128 ? -1L : -1L << (128 - prefix);
  }

  private static boolean less(long aHi, long aLo, long bHi, long bLo) {
    int c = Long.compareUnsigned(aHi, bHi);
    return c < 0 || (c == 0 && Long.compareUnsigned(aLo, bLo) < 0);
  }

  private static long[] minusOne(long hi, long lo) {
    return new long[] {lo == 0 ? hi - 1 : hi, lo - 1};
  }

  private static long[] plusOne(long hi, long lo, int bits) {
    if (bits == 32) {
      return new long[] {hi + (1L << 32), 0};
    }
    return new long[] {lo == -1 ? hi + 1 : hi, lo + 1};
  }

  /** Reads address bytes (4 or 16; missing trailing bytes count as zero) as {@code hi}. */
  public static long hi(byte[] a) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (i < a.length ? a[i] & 0xFF : 0);
    }
    return v;
  }

  public static long lo(byte[] a, int family) {
    if (family == 1) {
      return 0;
    }
    long v = 0;
    for (int i = 8; i < 16; i++) {
      v = (v << 8) | (i < a.length ? a[i] & 0xFF : 0);
    }
    return v;
  }

  @Override
  public String toString() {
    return "RangeTable" + Arrays.toString(values);
  }
}
