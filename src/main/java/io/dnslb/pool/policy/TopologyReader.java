package io.dnslb.pool.policy;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.dnslb.config.ConfigError;
import io.dnslb.config.StrictKeys;
import io.dnslb.pool.topology.GeoIpDatabase;
import io.dnslb.pool.topology.NetworksFile;
import io.dnslb.pool.topology.PrefixTables;
import io.dnslb.pool.topology.Topology;
import io.dnslb.zone.ZoneDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a topology pool's {@code topology} block: the regions (how each is matched in the database, and
 * its pools in order), the networks file and the MaxMind database, both named relative to the
 * zones directory and refused outside it. Every problem is a {@code FILE:LINE} error.
 */
final class TopologyReader {
  static final String DEFAULT_REGION = "default";
  private static final Set<String> KEYS = Set.of("networks", "geoip", "regions");
  private static final Set<String> REGION_KEYS = Set.of("match", "pools");

  private final List<ConfigError> errors;

  private TopologyReader(List<ConfigError> errors) {
    this.errors = errors;
  }

  /**
   * The pool's topology, or null when the block has errors (they are recorded) or the members
   * had some (the pool is left out anyway, and regions name members).
   */
  static Topology read(PolicyOptions options) {
    return options.poolMembers() == null ? null
        : new TopologyReader(options.errors()).read(options.config(), options.pool(),
            options.poolMembers(), options.zonesDir());
  }

  private Topology read(ConfigObject pool, String id, Map<String, Integer> poolMembers,
      Path zonesDir) {
    String where = "pool " + id + " topology";
    ConfigValue value = pool.get("topology");
    if (value == null) {
      errors.add(ConfigError.at(pool.origin(), "pool " + id + ": policy = topology needs a "
          + "topology block with its regions"));
      return null;
    }
    if (!(value instanceof ConfigObject block)) {
      errors.add(ConfigError.at(value.origin(), where + " must be a block"));
      return null;
    }
    int before = errors.size();
    StrictKeys.check(block, KEYS, where, errors);
    List<Topology.Region> regions = new ArrayList<>();
    Map<String, Integer> byName = new LinkedHashMap<>();
    Map<String, Integer> countries = new HashMap<>();
    Map<String, Integer> continents = new HashMap<>();
    boolean anyMatch = false;
    ConfigValue regionsValue = block.get("regions");
    if (!(regionsValue instanceof ConfigObject regionBlocks) || regionBlocks.isEmpty()) {
      errors.add(ConfigError.at(regionsValue == null ? block.origin() : regionsValue.origin(),
          where + ": regions must be a block of regions, including " + DEFAULT_REGION));
      return null;
    }
    List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(regionBlocks.entrySet());
    entries.sort((a, b) -> a.getValue().origin().lineNumber() - b.getValue().origin().lineNumber());
    for (Map.Entry<String, ConfigValue> e : entries) {
      String rwhere = where + " region " + e.getKey();
      if (!(e.getValue() instanceof ConfigObject region)) {
        errors.add(ConfigError.at(e.getValue().origin(), rwhere + " must be a block"));
        continue;
      }
      StrictKeys.check(region, REGION_KEYS, rwhere, errors);
      int index = regions.size();
      List<String> pools = strings(region, "pools", rwhere);
      if (pools.isEmpty()) {
        errors.add(ConfigError.at(region.origin(), rwhere + " needs pools = [...], its pools "
            + "in order"));
        continue;
      }
      int[] list = new int[pools.size()];
      for (int i = 0; i < list.length; i++) {
        Integer m = poolMembers.get(pools.get(i));
        if (m == null) {
          errors.add(ConfigError.at(region.get("pools").origin(), rwhere + ": pool "
              + pools.get(i) + " is not a member of pool " + id + " (add { pool = \""
              + pools.get(i) + "\" } to its members)"));
          m = 0;
        }
        list[i] = m;
      }
      for (String rule : strings(region, "match", rwhere)) {
        anyMatch = true;
        Map<String, Integer> target = rule.startsWith("country:") ? countries
            : rule.startsWith("continent:") ? continents : null;
        String code = rule.substring(rule.indexOf(':') + 1);
        if (target == null || code.isEmpty()) {
          errors.add(ConfigError.at(region.get("match").origin(), rwhere + ": match '" + rule
              + "' must be country:CC or continent:CC, such as country:BR or continent:EU"));
          continue;
        }
        Integer other = target.putIfAbsent(code, index);
        if (other != null) {
          errors.add(ConfigError.at(region.get("match").origin(), rwhere + ": " + rule
              + " is already matched by region " + regions.get(other).name()));
        }
      }
      byName.put(e.getKey(), index);
      regions.add(new Topology.Region(e.getKey(), list, pools));
    }
    Integer defaultRegion = byName.get(DEFAULT_REGION);
    if (defaultRegion == null) {
      errors.add(ConfigError.at(regionsValue.origin(), where + ": regions must include "
          + DEFAULT_REGION + " { pools = [...] }, for clients no network matches"));
    }
    Path networks = file(block, "networks", where, zonesDir);
    Path geoip = file(block, "geoip", where, zonesDir);
    if (anyMatch && geoip == null && !block.containsKey("geoip")) {
      errors.add(ConfigError.at(block.origin(), where + ": match rules need geoip = "
          + "\"<database>.mmdb\""));
    }
    if (errors.size() > before) {
      return null;
    }
    PrefixTables nets = networks == null ? PrefixTables.EMPTY
        : NetworksFile.read(networks, byName, errors);
    PrefixTables geo = PrefixTables.EMPTY;
    if (geoip != null) {
      try {
        geo = GeoIpDatabase.read(geoip, countries, continents, defaultRegion);
      } catch (ConfigError e) {
        errors.add(e);
      }
    }
    if (errors.size() > before) {
      return null;
    }
    String source = (networks == null ? "" : zonesDir.relativize(networks) + " ("
        + nets.size() + " networks)") + (networks != null && geoip != null ? ", " : "")
        + (geoip == null ? "" : zonesDir.relativize(geoip) + " (" + geo.size() + " networks)");
    return new Topology(regions, defaultRegion, nets, geo, source);
  }

  private List<String> strings(ConfigObject block, String key, String where) {
    ConfigValue value = block.get(key);
    if (value == null) {
      return List.of();
    }
    if (value.valueType() == ConfigValueType.LIST) {
      List<?> raw = (List<?>) value.unwrapped();
      if (raw.stream().allMatch(o -> o instanceof String)) {
        return raw.stream().map(o -> (String) o).toList();
      }
    }
    errors.add(ConfigError.at(value.origin(), where + ": " + key + " must be a list of strings"));
    return List.of();
  }

  /**
   * A file named in the block, which must be a regular file inside the zones directory (like a
   * symlinked zone file, so that whoever edits pool files cannot make the server read, and
   * echo in errors, any file it can open).
   */
  private Path file(ConfigObject block, String key, String where, Path zonesDir) {
    ConfigValue value = block.get(key);
    if (value == null) {
      return null;
    }
    if (value.valueType() != ConfigValueType.STRING) {
      errors.add(ConfigError.at(value.origin(), where + ": " + key + " must be a file name"));
      return null;
    }
    String name = (String) value.unwrapped();
    try {
      Path dir = zonesDir.toRealPath();
      Path file = zonesDir.resolve(name).normalize();
      if (!file.startsWith(zonesDir.normalize()) || !Files.isRegularFile(file)
          || !file.toRealPath().startsWith(dir)) {
        errors.add(ConfigError.at(value.origin(), where + ": " + key + " '" + name
            + "' must be a file inside the zones directory"));
        return null;
      }
      if (Files.size(file) > ZoneDirectory.MAX_FILE_BYTES) {
        errors.add(ConfigError.at(value.origin(), where + ": " + key + " '" + name
            + "' is over the limit of " + ZoneDirectory.MAX_FILE_BYTES + " bytes"));
        return null;
      }
      return file;
    } catch (IOException | RuntimeException e) {
      errors.add(ConfigError.at(value.origin(), where + ": " + key + " '" + name
          + "' cannot be read: " + e.getMessage()));
      return null;
    }
  }
}
