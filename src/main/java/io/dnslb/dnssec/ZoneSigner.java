package io.dnslb.dnssec;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dnslb.zone.Node;
import io.dnslb.zone.Zone;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * One signed zone at one signing moment ("generation"): the signatures over every static RRset,
 * made at load and again when they near expiry ({@link #dueAt}), and a bounded cache of the
 * signatures made on the fly (pooled address sets, compact-denial NSECs, wildcard answers).
 * Immutable apart from that cache; a re-sign makes a new ZoneSigner, and with it a new catalog,
 * so no answer cache can replay signatures older than the generation it was built from.
 *
 * <p>Signing itself is dnsjava's {@link DNSSEC#sign} over the JDK's EC / EdDSA providers.
 */
public final class ZoneSigner {
  /** RFC 9824 NXNAME: the type bit that says "this name does not exist" in a compact denial. */
  public static final int NXNAME = 128;
  /** Signatures start an hour back, for resolvers whose clocks run a little behind. */
  private static final Duration SKEW = Duration.ofHours(1);
  private static final Name ZERO_LABEL = Name.fromConstantString("\\000");

  private final Name origin;
  private final DnssecSettings settings;
  private final List<SigningKey> zsks;
  private final List<SigningKey> ksks;
  private final Map<RRset, RRSIGRecord[]> sigs;
  private final RRSIGRecord[] negativeSoaSigs;
  private final Cache<SigKey, RRSIGRecord[]> dynamic;
  private final Instant signedAt;
  private final long nsecTtl;
  private final int rrsigWireBytes;
  /** Hits of the pre-encoded copies the fast path keeps (its misses come here as lookups). */
  private final java.util.concurrent.atomic.LongAdder encodedHits =
      new java.util.concurrent.atomic.LongAdder();

  private ZoneSigner(Zone zone, DnssecSettings settings, List<SigningKey> keys, Instant now) {
    this.origin = zone.origin();
    this.settings = settings;
    List<SigningKey> sep = new ArrayList<>();
    List<SigningKey> nonSep = new ArrayList<>();
    for (SigningKey k : keys) {
      if (k.active(now)) {
        (k.sep() ? sep : nonSep).add(k);
      }
    }
    this.zsks = nonSep.isEmpty() ? sep : nonSep; // a CSK signs everything
    this.ksks = sep.isEmpty() ? nonSep : sep;
    this.signedAt = now;
    this.nsecTtl = zone.negativeSoa().getTTL();
    // Maintenance (read-buffer drains, evictions) on the caller's thread, amortised over the
    // lookups: Caffeine's default, ForkJoinPool.commonPool, wakes another thread every few
    // reads once the cache is half full (a random-subdomain flood of denials fills it), and
    // on a server pinned to few cores that thread preempts the event loop mid-burst.
    this.dynamic = Caffeine.newBuilder().maximumSize(settings.signatureCache()).recordStats()
        .executor(Runnable::run).build();
    this.sigs = new IdentityHashMap<>();
    zone.forEachNode((name, node) -> signNode(zone, name, node));
    this.negativeSoaSigs = sign(new RRset(zone.negativeSoa()), zsks);
    // owner pointer (2) + type, class, TTL, rdlength (10) + fixed RRSIG fields (18) + signer
    this.rrsigWireBytes = (2 + 10 + 18 + origin.length() + Algorithms.SIGNATURE_BYTES) * zsks.size();
  }

  /** Signs every authoritative static RRset of the zone (ZoneSigner is built once per change). */
  public static ZoneSigner sign(Zone zone, DnssecSettings settings, List<SigningKey> keys,
      Instant now) {
    return new ZoneSigner(zone, settings, keys, now);
  }

  private void signNode(Zone zone, Name name, Node node) {
    if (belowCut(zone, name)) {
      return; // glue and occluded data: not authoritative, never signed
    }
    boolean cut = zone.isCut(name, node);
    for (RRset set : node.sets()) {
      int type = set.getType();
      if (type == Type.RRSIG || type == Type.NSEC || type == Type.NSEC3 || set.size() == 0
          || (cut && type != Type.DS)) {
        continue;
      }
      boolean keySet = type == Type.DNSKEY || type == Type.CDS || type == Type.CDNSKEY;
      sigs.put(set, sign(set, keySet ? ksks : zsks));
    }
  }

  private static boolean belowCut(Zone zone, Name name) {
    int apex = zone.origin().labels();
    for (int strip = 1; strip < name.labels() - apex; strip++) {
      Name ancestor = new Name(name, strip);
      if (zone.isCut(ancestor, zone.lookup(ancestor))) {
        return true;
      }
    }
    return false;
  }

  private RRSIGRecord[] sign(RRset set, List<SigningKey> keys) {
    Instant inception = signedAt.minus(SKEW);
    Instant expiration = signedAt.plus(settings.signatureLifetime());
    RRSIGRecord[] out = new RRSIGRecord[keys.size()];
    for (int i = 0; i < out.length; i++) {
      SigningKey k = keys.get(i);
      try {
        out[i] = DNSSEC.sign(set, k.dnskey(), k.key(), inception, expiration);
      } catch (DNSSEC.DNSSECException e) {
        throw new IllegalStateException("cannot sign " + set.getName() + " with key "
            + k.tag() + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  public Name origin() {
    return origin;
  }

  public DnssecSettings settings() {
    return settings;
  }

  /** The signatures over a static RRset of this zone, or null (not signed: glue, NS at a cut). */
  public RRSIGRecord[] staticSigs(RRset set) {
    return sigs.get(set);
  }

  public RRSIGRecord[] negativeSoaSigs() {
    return negativeSoaSigs;
  }

  /**
   * Signatures over a set made at answer time, from the cache when the same set (owner, type,
   * TTL, data; case and order aside) was signed before in this generation.
   */
  public RRSIGRecord[] dynamicSigs(RRset set) {
    return dynamic.get(SigKey.of(set), k -> sign(set, zsks));
  }

  /**
   * Signatures over a pooled address set served with {@code served}'s TTL, signed with the
   * pool's configured TTL as the original TTL. With {@code ttl = auto} a pool serves a TTL at or
   * below its configured one that changes from second to second; signing the served TTL would
   * make a new signature per TTL value (and a different one per path). Instead the set is
   * signed once with the configured TTL, "the TTL of the covered RRset as it appears in the
   * authoritative zone" (RFC 4034 §3.1.4), and served, records and RRSIGs alike (their TTLs
   * must match, RFC 4034 §3), with the lower TTL, as a cache would serve it: a validator
   * reconstructs the signed data with the original TTL and keeps the lower served one
   * (RFC 4035 §5.3.3). The fast path ({@code query/SignedPoolRecords}) does the same.
   */
  public RRSIGRecord[] servedSigs(RRset served, long configuredTtl) {
    long ttl = served.getTTL();
    if (ttl == configuredTtl) {
      return dynamicSigs(served);
    }
    RRset signed = new RRset();
    for (Record r : served.rrs(false)) {
      signed.addRR(Record.newRecord(r.getName(), r.getType(), r.getDClass(), configuredTtl,
          r.rdataToWireCanonical()));
    }
    RRSIGRecord[] sigs = dynamicSigs(signed);
    RRSIGRecord[] out = new RRSIGRecord[sigs.length];
    for (int i = 0; i < sigs.length; i++) {
      RRSIGRecord s = sigs[i];
      out[i] = new RRSIGRecord(s.getName(), s.getDClass(), ttl, s.getTypeCovered(),
          s.getAlgorithm(), s.getOrigTTL(), s.getExpire(), s.getTimeSigned(), s.getFootprint(),
          s.getSigner(), s.getSignature());
    }
    return out;
  }

  /**
   * The compact-denial NSEC at a name (RFC 9824): next name {@code \000.<name>}, the
   * immediate successor, so it covers nothing else; its bitmap lists the given types plus NSEC
   * and RRSIG.
   */
  public NSECRecord nsec(Name owner, int[] types) {
    TreeSet<Integer> all = new TreeSet<>();
    for (int t : types) {
      if (t != Type.RRSIG && t != Type.NSEC && t != Type.NSEC3) {
        all.add(t);
      }
    }
    all.add(Type.NSEC);
    all.add(Type.RRSIG);
    Name next;
    try {
      next = Name.concatenate(ZERO_LABEL, owner);
    } catch (org.xbill.DNS.NameTooLongException e) {
      next = owner; // no room for a successor label: the NSEC then covers only itself
    }
    return new NSECRecord(owner, org.xbill.DNS.DClass.IN, nsecTtl, next,
        all.stream().mapToInt(Integer::intValue).toArray());
  }

  /** How many RRSIGs one on-the-fly set gets (one per active zone-signing key). */
  public int signatureCount() {
    return zsks.size();
  }

  /** Upper bound of the wire size of the RRSIGs over one on-the-fly set (for what fits). */
  public int rrsigWireBytes() {
    return rrsigWireBytes;
  }

  /** When this generation must be replaced: {@code refresh} before its signatures expire. */
  public Instant dueAt() {
    return signedAt.plus(settings.signatureLifetime()).minus(settings.refresh());
  }

  public long cacheSize() {
    return dynamic.estimatedSize();
  }

  public long cacheHits() {
    return dynamic.stats().hitCount() + encodedHits.sum();
  }

  /** Counts a hit in a pre-encoded copy of signatures made here. */
  public void encodedHit() {
    encodedHits.increment();
  }

  public long cacheMisses() {
    return dynamic.stats().missCount();
  }

  /** An RRset's identity for the signature cache: its canonical records, sorted. */
  private static final class SigKey {
    private final byte[] bytes;
    private final int hash;

    private SigKey(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    static SigKey of(RRset set) {
      List<byte[]> records = new ArrayList<>(set.size());
      int total = 0;
      for (Record r : set.rrs(false)) {
        byte[] b = r.toWireCanonical();
        records.add(b);
        total += b.length;
      }
      records.sort(Arrays::compare);
      byte[] out = new byte[total];
      int pos = 0;
      for (byte[] b : records) {
        System.arraycopy(b, 0, out, pos, b.length);
        pos += b.length;
      }
      return new SigKey(out);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SigKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }
  }
}
