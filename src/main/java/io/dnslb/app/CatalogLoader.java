package io.dnslb.app;

import io.dnslb.answer.Catalog;
import io.dnslb.config.ConfigError;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolDirectory;
import io.dnslb.pool.PoolRuntime;
import io.dnslb.pool.Pools;
import io.dnslb.zone.ZoneDirectory;
import io.dnslb.zone.ZoneSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;

/** Reads a zones directory into a whole new {@link Catalog}, or fails with FILE:LINE. */
public final class CatalogLoader {
  private CatalogLoader() {}

  public static Catalog load(Path dir) throws ConfigError {
    return load(dir, 0);
  }

  /** @param servedRecords records served now, which stay in memory while the new set loads */
  public static Catalog load(Path dir, long servedRecords) throws ConfigError {
    ZoneSet zones = ZoneDirectory.load(dir, servedRecords);
    Pools pools = PoolDirectory.load(dir, zones);
    List<Name> poolNames = new ArrayList<>();
    for (Pool p : pools.all()) {
      poolNames.addAll(((PoolRuntime) p).config().names());
    }
    return Catalog.of(zones, pools, poolNames);
  }
}
