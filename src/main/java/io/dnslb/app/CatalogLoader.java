package io.dnslb.app;

import io.dnslb.answer.Catalog;
import io.dnslb.config.ConfigError;
import io.dnslb.dnssec.DnssecDirectory;
import io.dnslb.dnssec.Signing;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolDirectory;
import io.dnslb.pool.PoolRuntime;
import io.dnslb.pool.Pools;
import io.dnslb.time.Ticker;
import io.dnslb.zone.ZoneDirectory;
import io.dnslb.zone.ZoneSet;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;

/** Reads a zones directory into a whole new {@link Catalog}, or fails with FILE:LINE. */
public final class CatalogLoader {
  private CatalogLoader() {}

  /**
   * @throws ConfigError the first problem, with every other one found attached (see {@link
   *     ConfigError#all()}): every zone file is tried, and the pool files are checked against the
   *     zones that did load
   */
  public static Catalog load(Path dir) throws ConfigError {
    return load(dir, 0, Instant.now());
  }

  /** @param servedRecords records served now, which stay in memory while the new set loads */
  public static Catalog load(Path dir, long servedRecords) throws ConfigError {
    return load(dir, servedRecords, Instant.now());
  }

  /** As {@link #load(Path, long)}, the pools on {@code ticker}'s clock (slow start). */
  public static Catalog load(Path dir, long servedRecords, Ticker ticker) throws ConfigError {
    return load(dir, servedRecords, ticker.instant(), ticker);
  }

  /** @param now the signing time for signed zones (and when key timing metadata is read) */
  public static Catalog load(Path dir, Instant now) throws ConfigError {
    return load(dir, 0, now);
  }

  private static Catalog load(Path dir, long servedRecords, Instant now) throws ConfigError {
    return load(dir, servedRecords, now, Ticker.SYSTEM);
  }

  private static Catalog load(Path dir, long servedRecords, Instant now, Ticker ticker)
      throws ConfigError {
    List<ConfigError> errors = new ArrayList<>();
    ZoneSet zones = ZoneDirectory.load(dir, servedRecords, errors);
    Map<Name, Signing.Keyed> keyed = Map.of();
    try {
      DnssecDirectory.Loaded dnssec = DnssecDirectory.load(dir, zones, now);
      zones = dnssec.zones();
      keyed = dnssec.keyed();
    } catch (ConfigError e) {
      errors.addAll(e.all());
    }
    Pools pools;
    try {
      pools = PoolDirectory.load(dir, zones, ticker);
    } catch (ConfigError e) {
      errors.addAll(e.all());
      pools = null;
    }
    if (!errors.isEmpty()) {
      throw ConfigError.all(errors);
    }
    List<Name> poolNames = new ArrayList<>();
    for (Pool p : pools.all()) {
      poolNames.addAll(((PoolRuntime) p).config().names());
    }
    Catalog c = Catalog.of(zones, pools, poolNames);
    // Signed last: the signatures are over the very RRsets the catalog serves.
    return keyed.isEmpty() ? c : c.withSigning(Signing.sign(c.zones(), keyed, now));
  }
}
