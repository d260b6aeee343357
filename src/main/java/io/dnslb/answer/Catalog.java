package io.dnslb.answer;

import io.dnslb.dnssec.Signing;
import io.dnslb.pool.Pool;
import io.dnslb.pool.Pools;
import io.dnslb.zone.ZoneSet;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * Everything the responder answers from: the zones, the pools and the signatures of the signed
 * zones, as one immutable value, so that a reload (or a re-sign) swaps them in one step and a
 * query never sees new zones with old pools or old signatures.
 */
public record Catalog(ZoneSet zones, Pools pools, Signing signing) {
  public static final Catalog EMPTY = new Catalog(ZoneSet.empty(), Pools.EMPTY);

  public Catalog(ZoneSet zones, Pools pools) {
    this(zones, pools, Signing.NONE);
  }

  /** Joins zones and pools; pool names become existing names in their zones. */
  public static Catalog of(ZoneSet zones, Pools pools, List<Name> poolNames) {
    return new Catalog(zones.withNames(new ArrayList<>(poolNames)), pools);
  }

  /** This catalog with other signatures (a new value: caches keyed by catalog start afresh). */
  public Catalog withSigning(Signing next) {
    return new Catalog(zones, pools, next);
  }

  public Pool pool(Name name) {
    return pools.find(name);
  }
}
