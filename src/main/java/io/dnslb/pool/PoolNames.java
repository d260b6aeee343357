package io.dnslb.pool;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.dnslb.config.ConfigError;
import io.dnslb.zone.Node;
import io.dnslb.zone.Zone;
import io.dnslb.zone.ZoneSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Reads a pool's {@code names} and checks each against the zones and against every pool read
 * before it, in any file: a name must sit in a zone we serve, above any delegation, hold no
 * static address data, and belong to one pool only.
 */
final class PoolNames {
  private static final int[] STATIC_ADDRESS_TYPES = {Type.A, Type.AAAA, Type.CNAME};

  private final ZoneSet zones;
  private final List<ConfigError> errors;
  /** Owner name → the pool that answers it. */
  private final Map<Name, String> claims = new HashMap<>();

  PoolNames(ZoneSet zones, List<ConfigError> errors) {
    this.zones = zones;
    this.errors = errors;
  }

  List<Name> read(ConfigObject pool, String id) {
    ConfigValue value = pool.get("names");
    if (value == null) {
      return List.of(); // allowed for a pool used only as a member; PoolGraph checks that
    }
    if (value.valueType() != ConfigValueType.LIST
        || ((List<?>) value.unwrapped()).isEmpty()) {
      errors.add(ConfigError.at(value.origin(),
          "pool " + id + ": names must be a non-empty list of domain names"));
      return List.of();
    }
    List<Name> names = new ArrayList<>();
    for (ConfigValue item : pool.toConfig().getList("names")) {
      String problem = item.valueType() != ConfigValueType.STRING
          ? "names must be strings" : claim((String) item.unwrapped(), id, names);
      if (problem != null) {
        errors.add(ConfigError.at(item.origin(), "pool " + id + ": " + problem));
      }
    }
    return names;
  }

  /** Validates one name and claims it for the pool (adding it to names), or says what's wrong. */
  private String claim(String text, String id, List<Name> names) {
    Name name;
    try {
      name = Name.fromString(text);
    } catch (TextParseException e) {
      return "bad name '" + text + "': " + e.getMessage();
    }
    if (!name.isAbsolute()) {
      return "name " + text + " must be absolute (end with a dot)";
    }
    if (name.isWild()) {
      return "name " + name + ": wildcard pool names are not supported";
    }
    Zone zone = zones.find(name);
    if (zone == null) {
      return "name " + name + " is not inside any loaded zone";
    }
    for (Name n = name; !n.equals(zone.origin()); n = new Name(n, 1)) {
      if (zone.isCut(n, zone.lookup(n))) {
        return "name " + name + " is at or below the delegation " + n + " in " + zone.file();
      }
    }
    Node node = zone.lookup(name);
    for (int type : STATIC_ADDRESS_TYPES) {
      if (node != null && node.rrset(type) != null) {
        return "name " + name + " also has static " + Type.string(type) + " records in "
            + zone.file() + "; a pool name's addresses come from the pool only";
      }
    }
    String other = claims.putIfAbsent(name, id);
    if (other != null) {
      return "name " + name + " is already answered by pool " + other;
    }
    names.add(name);
    return null;
  }
}
