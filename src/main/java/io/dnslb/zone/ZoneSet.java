package io.dnslb.zone;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;

/** Every loaded zone, immutable; finds the closest enclosing zone for a name. */
public final class ZoneSet {
  private final Map<Name, Zone> byOrigin;
  private final List<Zone> zones;
  private final int maxOriginLabels;

  public ZoneSet(Collection<Zone> zones) {
    Map<Name, Zone> map = new HashMap<>();
    int max = 0;
    for (Zone z : zones) {
      map.put(z.origin(), z);
      max = Math.max(max, z.origin().labels());
    }
    this.byOrigin = map;
    this.zones = List.copyOf(zones);
    this.maxOriginLabels = max;
  }

  public static ZoneSet empty() {
    return new ZoneSet(List.of());
  }

  /** The zone with the longest origin that is equal to or an ancestor of name, or null. */
  public Zone find(Name name) {
    int labels = name.labels();
    int skip = Math.max(0, labels - maxOriginLabels);
    for (int i = skip; i < labels; i++) {
      Name candidate = i == 0 ? name : new Name(name, i);
      Zone z = byOrigin.get(candidate);
      if (z != null) {
        return z;
      }
    }
    return null;
  }

  /** The zone enclosing the parent of this zone's origin, if we also serve it (for DS at a cut). */
  public Zone parentOf(Zone zone) {
    Name origin = zone.origin();
    if (origin.labels() <= 1) {
      return null;
    }
    return find(new Name(origin, 1));
  }

  /** These zones with the given names made to exist (see {@link Zone#withNames}). */
  public ZoneSet withNames(Collection<Name> names) {
    if (names.isEmpty()) {
      return this;
    }
    List<Zone> out = new java.util.ArrayList<>(zones.size());
    for (Zone z : zones) {
      out.add(z.withNames(names));
    }
    return new ZoneSet(out);
  }

  public List<Zone> zones() {
    return zones;
  }

  public int recordCount() {
    int n = 0;
    for (Zone z : zones) {
      n += z.recordCount();
    }
    return n;
  }
}
