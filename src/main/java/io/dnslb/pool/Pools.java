package io.dnslb.pool;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;

/** Every pool, keyed by the owner names it answers; immutable. */
public final class Pools {
  public static final Pools EMPTY = new Pools(List.of(), Map.of());

  private final List<Pool> pools;
  private final Map<Name, Pool> byName;

  public Pools(Collection<? extends Pool> pools, Map<Name, ? extends Pool> byName) {
    this.pools = List.copyOf(pools);
    this.byName = new HashMap<>(byName);
  }

  /** The pool answering this owner name, or null. */
  public Pool find(Name owner) {
    return byName.get(owner);
  }

  public List<Pool> all() {
    return pools;
  }
}
