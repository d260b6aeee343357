package io.dnslb.query;

import io.dnslb.pool.MemberConfig;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolRuntime;
import io.dnslb.pool.Pools;
import io.dnslb.wire.FastQuery;
import io.dnslb.wire.Wire;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * Pool names as lowercased wire bytes in an open-addressing table, built once per catalog, so a
 * query finds its pool by comparing bytes: no {@link Name}, no key object. Each entry carries
 * every member's answer record pre-encoded with the owner as a pointer to the question.
 */
final class PoolIndex {
  /**
   * One pool name: its pool, by member index the complete answer record, whether its policy
   * reads the client (else the fast path does not build one), and for a name in a signed zone its
   * RRSIGs per member set (else null).
   */
  record Entry(byte[] name, int hash, PoolRuntime pool, byte[][] records, boolean usesClient,
      SignedPoolRecords signed) {}

  private final Entry[] slots;
  private final int mask;

  private PoolIndex(Entry[] slots) {
    this.slots = slots;
    this.mask = slots.length - 1;
  }

  static PoolIndex of(Pools pools, io.dnslb.dnssec.Signing signing, io.dnslb.zone.ZoneSet zones) {
    List<Entry> entries = new ArrayList<>();
    for (Pool p : pools.all()) {
      if (p instanceof PoolRuntime runtime) {
        byte[][] records = records(runtime);
        boolean usesClient = runtime.usesClient(); // its own policy's or a child pool's
        for (Name n : runtime.config().names()) {
          byte[] key = n.toWireCanonical(); // lowercased, uncompressed
          io.dnslb.zone.Zone zone = signing.isEmpty() ? null : zones.find(n);
          io.dnslb.dnssec.ZoneSigner signer = zone == null ? null : signing.of(zone.origin());
          SignedPoolRecords signed = signer == null ? null
              : new SignedPoolRecords(signer, n, runtime.leaves());
          entries.add(new Entry(key, hash(key), runtime, records, usesClient, signed));
        }
      }
    }
    // At most half full, so a miss ends at an empty slot after a probe or two.
    int size = Integer.highestOneBit(Math.max(2, entries.size()) * 4 - 1);
    Entry[] slots = new Entry[size];
    for (Entry e : entries) {
      int i = e.hash() & (size - 1);
      while (slots[i] != null) {
        i = (i + 1) & (size - 1);
      }
      slots[i] = e;
    }
    return new PoolIndex(slots);
  }

  /** The entry for a lowercased wire name, or null. */
  Entry find(byte[] name, int length, int hash) {
    for (int i = hash & mask; ; i = (i + 1) & mask) {
      Entry e = slots[i];
      if (e == null) {
        return null;
      }
      if (e.hash() == hash && Arrays.equals(e.name(), 0, e.name().length, name, 0, length)) {
        return e;
      }
    }
  }

  private static int hash(byte[] lowered) {
    int h = 0;
    for (byte b : lowered) {
      h = FastQuery.hash(h, b);
    }
    return h;
  }

  /**
   * By flat index ({@link PoolRuntime#leaves()}, which covers the addresses of child pools):
   * {@code C0 0C}, type, class IN, TTL, RDLENGTH, address: 16 bytes for A, 28 for AAAA.
   */
  private static byte[][] records(PoolRuntime pool) {
    List<PoolRuntime.Leaf> leaves = pool.leaves();
    byte[][] out = new byte[leaves.size()][];
    for (int i = 0; i < out.length; i++) {
      MemberConfig m = leaves.get(i).member();
      if (m == null) {
        continue; // a pool member's own slot: never selected
      }
      long ttl = leaves.get(i).ttl();
      byte[] address = m.address().getAddress();
      int type = address.length == 4 ? 1 : 28;
      byte[] r = new byte[Wire.RECORD_AT_QNAME + address.length];
      int rdata = Wire.putRecordAtQname(r, 0, type, ttl, address.length);
      System.arraycopy(address, 0, r, rdata, address.length);
      out[i] = r;
    }
    return out;
  }
}
