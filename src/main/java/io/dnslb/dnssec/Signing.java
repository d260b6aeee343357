package io.dnslb.dnssec;

import io.dnslb.zone.Zone;
import io.dnslb.zone.ZoneSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;

/**
 * The signers of every signed zone in a catalog, by origin; immutable. {@link #NONE} for a
 * catalog without DNSSEC, so the unsigned path asks one {@code isEmpty} and nothing else.
 */
public final class Signing {
  public static final Signing NONE = new Signing(Map.of(), Map.of());

  private final Map<Name, ZoneSigner> signers;
  /** What each signer was made from, to re-sign the same zone with the same keys. */
  private final Map<Name, Keyed> inputs;

  /** A zone's settings and keys, as read from its files. */
  public record Keyed(DnssecSettings settings, List<SigningKey> keys) {}

  private Signing(Map<Name, ZoneSigner> signers, Map<Name, Keyed> inputs) {
    this.signers = signers;
    this.inputs = inputs;
  }

  /** Signs every zone that has settings and keys. */
  public static Signing sign(ZoneSet zones, Map<Name, Keyed> inputs, Instant now) {
    if (inputs.isEmpty()) {
      return NONE;
    }
    Map<Name, ZoneSigner> signers = new HashMap<>();
    for (Zone z : zones.zones()) {
      Keyed k = inputs.get(z.origin());
      if (k != null) {
        signers.put(z.origin(), ZoneSigner.sign(z, k.settings(), k.keys(), now));
      }
    }
    return new Signing(Map.copyOf(signers), Map.copyOf(inputs));
  }

  public boolean isEmpty() {
    return signers.isEmpty();
  }

  /** The signer of the zone with this origin, or null when that zone is not signed. */
  public ZoneSigner of(Name origin) {
    return signers.get(origin);
  }

  /**
   * This signing with every zone whose signatures are due re-signed; this same object when
   * none is due (the caller then keeps its catalog).
   */
  public Signing refreshed(ZoneSet zones, Instant now) {
    Map<Name, ZoneSigner> next = null;
    for (ZoneSigner s : signers.values()) {
      if (!now.isBefore(s.dueAt())) {
        if (next == null) {
          next = new HashMap<>(signers);
        }
        Zone z = zones.find(s.origin());
        Keyed k = inputs.get(s.origin());
        next.put(s.origin(), ZoneSigner.sign(z, k.settings(), k.keys(), now));
      }
    }
    return next == null ? this : new Signing(Map.copyOf(next), inputs);
  }

  /** The earliest moment some zone must be re-signed, or null without signed zones. */
  public Instant nextDue() {
    Instant due = null;
    for (ZoneSigner s : signers.values()) {
      if (due == null || s.dueAt().isBefore(due)) {
        due = s.dueAt();
      }
    }
    return due;
  }

  /** {entries, hits, misses} of the on-the-fly signature caches, summed over zones. */
  public long[] cacheStats() {
    long[] out = new long[3];
    for (ZoneSigner s : signers.values()) {
      out[0] += s.cacheSize();
      out[1] += s.cacheHits();
      out[2] += s.cacheMisses();
    }
    return out;
  }
}
