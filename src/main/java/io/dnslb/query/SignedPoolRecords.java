package io.dnslb.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dnslb.dnssec.ZoneSigner;
import io.dnslb.pool.MemberConfig;
import io.dnslb.pool.PoolConfig;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;

/**
 * The RRSIGs of one pool name in a signed zone, pre-encoded per member set (owner {@code C0 0C},
 * like the address records they follow), so that a DO query for a set answered before is a
 * cache lookup and a copy. The signatures themselves come from the zone's {@link ZoneSigner},
 * which the general path shares, so both paths serve the same RRSIG for the same set.
 */
final class SignedPoolRecords {
  /** Member sets are keyed by a bit mask of member indices. */
  private static final int MAX_MEMBERS = 64;

  private final ZoneSigner signer;
  private final Name owner;
  private final long ttl;
  private final MemberConfig[] members;
  private final Cache<Long, byte[]> encoded;

  SignedPoolRecords(ZoneSigner signer, Name owner, PoolConfig config) {
    this.signer = signer;
    this.owner = owner;
    this.ttl = config.ttl().toSeconds();
    this.members = new MemberConfig[config.members().size()];
    for (MemberConfig m : config.members()) {
      members[m.index()] = m;
    }
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
    if (members.length > MAX_MEMBERS) {
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
    for (int i = 0; i < members.length; i++) {
      if ((mask & (1L << i)) != 0) {
        java.net.InetAddress a = members[i].address();
        Record r = a.getAddress().length == 4 ? new ARecord(owner, DClass.IN, ttl, a)
            : new AAAARecord(owner, DClass.IN, ttl, a);
        set.addRR(r);
      }
    }
    RRSIGRecord[] sigs = signer.dynamicSigs(set);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (RRSIGRecord sig : sigs) {
      byte[] rdata = sig.rdataToWireCanonical();
      long t = sig.getTTL();
      out.write(0xC0);
      out.write(0x0C);
      out.write(0);
      out.write(46); // RRSIG
      out.write(0);
      out.write(1); // IN
      out.write((int) (t >>> 24));
      out.write((int) (t >>> 16));
      out.write((int) (t >>> 8));
      out.write((int) t);
      out.write(rdata.length >>> 8);
      out.write(rdata.length);
      out.writeBytes(rdata);
    }
    return out.toByteArray();
  }
}
