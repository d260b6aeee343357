package io.dnslb.answer;

import io.dnslb.pool.Pool;
import io.dnslb.pool.Pools;
import io.dnslb.zone.ZoneSet;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * Everything the responder answers from: the zones and the pools, as one immutable value, so that
 * a reload swaps both in one step and a query never sees new zones with old pools.
 */
public record Catalog(ZoneSet zones, Pools pools) {
  public static final Catalog EMPTY = new Catalog(ZoneSet.empty(), Pools.EMPTY);

  /** Joins zones and pools; pool names become existing names in their zones. */
  public static Catalog of(ZoneSet zones, Pools pools, List<Name> poolNames) {
    return new Catalog(zones.withNames(new ArrayList<>(poolNames)), pools);
  }

  public Pool pool(Name name) {
    return pools.find(name);
  }
}
