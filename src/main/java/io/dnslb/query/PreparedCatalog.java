package io.dnslb.query;

import io.dnslb.answer.Catalog;

/**
 * A catalog with what the query path needs beside it, built together at load time, off the
 * event loops: the pool names' byte index with pre-encoded records, and an empty answer cache of
 * its own (so a reload never replays old answers). Immutable apart from the cache; published as
 * one value, so a query sees one catalog and its own index, never a mix.
 */
public final class PreparedCatalog {
  public static final PreparedCatalog EMPTY = of(Catalog.EMPTY);

  private final Catalog catalog;
  private final PoolIndex pools;
  private final ResponseCache cache;

  private PreparedCatalog(Catalog catalog, PoolIndex pools, ResponseCache cache) {
    this.catalog = catalog;
    this.pools = pools;
    this.cache = cache;
  }

  public static PreparedCatalog of(Catalog catalog) {
    return new PreparedCatalog(catalog, PoolIndex.of(catalog.pools(), catalog.signing(), catalog.zones()), new ResponseCache());
  }

  public Catalog catalog() {
    return catalog;
  }

  PoolIndex pools() {
    return pools;
  }

  ResponseCache cache() {
    return cache;
  }
}
