package io.dnslb.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dnslb.dnssec.ZoneSigner;
import io.dnslb.pool.PoolRuntime;
import io.dnslb.wire.Wire;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The RRSIGs of one pool name in a signed zone, pre-encoded per member set (owner {@code C0 0C},
 * like the address records they follow), so that a DO query for a set answered before is a
 * cache lookup and a copy. The signatures themselves come from the zone's {@link ZoneSigner},
 * which the general path shares, so both paths serve the same RRSIG for the same set. Sets are
 * of flat indices ({@link PoolRuntime#leaves()}): an answer from a child pool is signed with
 * the child's records and TTL.
 */
final class SignedPoolRecords {
  /** Member sets are keyed by a bit mask of flat indices. */
  private static final int MAX_MEMBERS = 64;

  private final ZoneSigner signer;
  private final Name owner;
  private final List<PoolRuntime.Leaf> members;
  private final Cache<Long, byte[]> encoded;

  SignedPoolRecords(ZoneSigner signer, Name owner, List<PoolRuntime.Leaf> leaves) {
    this.signer = signer;
    this.owner = owner;
    this.members = leaves;
    this.encoded = Caffeine.newBuilder()
        .maximumSize(Math.min(signer.settings().signatureCache(), 10_000)).build();
  }

  /** Bytes at most that {@link #rrsigs} adds to an answer. */
  int maxBytes() {
    return signer.rrsigWireBytes();
  }

  /** RRSIG records {@link #rrsigs} returns. */
  int count() {
    return signer.signatureCount();
  }

  /**
   * The encoded RRSIGs over the first {@code count} chosen members, or null when this pool is
   * too large to key by mask (the general path then answers).
   */
  byte[] rrsigs(int[] chosen, int count) {
    if (members.size() > MAX_MEMBERS) {
      return null;
    }
    long mask = 0;
    for (int i = 0; i < count; i++) {
      mask |= 1L << chosen[i];
    }
    byte[] hit = encoded.getIfPresent(mask);
    if (hit != null) {
      signer.encodedHit();
      return hit;
    }
    byte[] made = sign(mask);
    encoded.put(mask, made);
    return made;
  }

  private byte[] sign(long mask) {
    RRset set = new RRset();
    for (int i = 0; i < members.size(); i++) {
      if ((mask & (1L << i)) != 0) {
        java.net.InetAddress a = members.get(i).member().address();
        long ttl = members.get(i).ttl(); // one pool's leaves per answer: one TTL
        Record r = a.getAddress().length == 4 ? new ARecord(owner, DClass.IN, ttl, a)
            : new AAAARecord(owner, DClass.IN, ttl, a);
        set.addRR(r);
      }
    }
    RRSIGRecord[] sigs = signer.dynamicSigs(set);
    byte[][] rdata = new byte[sigs.length][];
    int size = 0;
    for (int i = 0; i < sigs.length; i++) {
      rdata[i] = sigs[i].rdataToWireCanonical();
      size += Wire.RECORD_AT_QNAME + rdata[i].length;
    }
    byte[] out = new byte[size];
    int pos = 0;
    for (int i = 0; i < sigs.length; i++) {
      pos = Wire.putRecordAtQname(out, pos, Type.RRSIG, sigs[i].getTTL(), rdata[i].length);
      System.arraycopy(rdata[i], 0, out, pos, rdata[i].length);
      pos += rdata[i].length;
    }
    return out;
  }
}
