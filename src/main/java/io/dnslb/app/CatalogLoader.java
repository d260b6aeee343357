package io.dnslb.app;

import io.dnslb.answer.Catalog;
import io.dnslb.config.ConfigError;
import io.dnslb.dnssec.DnssecDirectory;
import io.dnslb.dnssec.Signing;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolDirectory;
import io.dnslb.pool.PoolRuntime;
import io.dnslb.pool.Pools;
import io.dnslb.zone.ZoneDirectory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;

/** Reads a zones directory into a whole new {@link Catalog}, or fails with FILE:LINE. */
public final class CatalogLoader {
  private CatalogLoader() {}

  public static Catalog load(Path dir) throws ConfigError {
    return load(dir, 0, Instant.now());
  }

  /** @param servedRecords records served now, which stay in memory while the new set loads */
  public static Catalog load(Path dir, long servedRecords) throws ConfigError {
    return load(dir, servedRecords, Instant.now());
  }

  /** @param now the signing time for signed zones (and when key timing metadata is read) */
  public static Catalog load(Path dir, Instant now) throws ConfigError {
    return load(dir, 0, now);
  }

  private static Catalog load(Path dir, long servedRecords, Instant now) throws ConfigError {
    DnssecDirectory.Loaded dnssec =
        DnssecDirectory.load(dir, ZoneDirectory.load(dir, servedRecords), now);
    Pools pools = PoolDirectory.load(dir, dnssec.zones());
    List<Name> poolNames = new ArrayList<>();
    for (Pool p : pools.all()) {
      poolNames.addAll(((PoolRuntime) p).config().names());
    }
    Catalog c = Catalog.of(dnssec.zones(), pools, poolNames);
    // Signed last: the signatures are over the very RRsets the catalog serves.
    return dnssec.keyed().isEmpty() ? c : c.withSigning(Signing.sign(c.zones(), dnssec.keyed(), now));
  }
}
