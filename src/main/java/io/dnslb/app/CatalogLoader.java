package io.dnslb.app;

import io.dnslb.answer.Catalog;
import io.dnslb.config.ConfigError;
import io.dnslb.pool.Pools;
import io.dnslb.zone.ZoneDirectory;
import io.dnslb.zone.ZoneSet;
import java.nio.file.Path;
import java.util.List;

/** Reads a zones directory into a whole new {@link Catalog}, or fails with FILE:LINE. */
public final class CatalogLoader {
  private CatalogLoader() {}

  public static Catalog load(Path dir) throws ConfigError {
    ZoneSet zones = ZoneDirectory.load(dir);
    return Catalog.of(zones, Pools.EMPTY, List.of());
  }
}
