package io.dnslb.pool;

import io.dnslb.config.ConfigError;
import io.dnslb.zone.ZoneDirectory;
import io.dnslb.zone.ZoneSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.Name;

/** Loads every {@code *.pools.conf} file of the zones directory into one {@link Pools} table. */
public final class PoolDirectory {
  public static final String SUFFIX = ".pools.conf";

  private PoolDirectory() {}

  /**
   * Reads, validates and builds every pool. Every pool in the result's {@link Pools#all()} is a
   * {@link PoolRuntime}, with all members' health UNKNOWN.
   *
   * @throws ConfigError the first problem found (files are read in name order); the others, if
   *     any, are attached as {@linkplain Throwable#getSuppressed() suppressed} ConfigErrors
   */
  public static Pools load(Path zonesDir, ZoneSet zones) throws ConfigError {
    return load(zonesDir, zones, io.dnslb.time.Ticker.SYSTEM);
  }

  /** @param ticker the pools' clock (slow start) */
  public static Pools load(Path zonesDir, ZoneSet zones, io.dnslb.time.Ticker ticker)
      throws ConfigError {
    List<PoolRuntime> pools = new ArrayList<>();
    Map<Name, PoolRuntime> byName = new HashMap<>();
    Map<String, PoolRuntime> built = new HashMap<>();
    for (PoolConfig config : configs(zonesDir, zones)) { // children first
      PoolRuntime pool = new PoolRuntime(config, ThreadLocalRandom::current, built,
          ticker::wallMillis);
      built.put(config.id(), pool);
      pools.add(pool);
      config.names().forEach(n -> byName.put(n, pool));
    }
    // Built children first; listed (status, metrics) in the order the files define them.
    pools.sort(Comparator.comparing((PoolRuntime p) -> p.config().file())
        .thenComparingInt(p -> p.config().line()));
    return new Pools(pools, byName);
  }

  /**
   * The validated pool definitions of a directory, children before the pools that list them,
   * else in file then line order.
   */
  public static List<PoolConfig> configs(Path zonesDir, ZoneSet zones) throws ConfigError {
    List<ConfigError> errors = new ArrayList<>();
    PoolFileReader reader = new PoolFileReader(zones, errors);
    List<PoolConfig> configs = new ArrayList<>();
    for (Path file : ZoneDirectory.files(zonesDir, SUFFIX)) { // symlink and size checks there
      configs.addAll(reader.read(file));
    }
    configs = PoolGraph.order(configs, reader.ids(), errors);
    if (!errors.isEmpty()) {
      // A pool's own check block is validated with each member's: report each problem once.
      Map<String, ConfigError> unique = new LinkedHashMap<>();
      errors.forEach(e -> unique.putIfAbsent(e.getMessage(), e));
      throw ConfigError.all(new ArrayList<>(unique.values()));
    }
    return configs;
  }
}
