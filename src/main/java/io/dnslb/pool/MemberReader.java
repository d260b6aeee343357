package io.dnslb.pool;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.dnslb.config.ConfigError;
import io.dnslb.config.Integers;
import io.dnslb.config.StrictKeys;
import io.dnslb.health.CheckSpec;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.Address;

/** Reads the {@code members} list of one pool into {@link MemberConfig}s. */
final class MemberReader {
  private static final Set<String> KEYS =
      Set.of("address", "pool", "weight", "priority", "admin", "check");

  private final List<ConfigError> errors;

  MemberReader(List<ConfigError> errors) {
    this.errors = errors;
  }

  List<MemberConfig> read(ConfigObject pool, String id, ConfigObject poolCheck, Path file) {
    ConfigValue value = pool.get("members");
    if (value == null) {
      errors.add(ConfigError.at(pool.origin(), "pool " + id + " has no members"));
      return List.of();
    }
    if (value.valueType() != ConfigValueType.LIST
        || ((List<?>) value.unwrapped()).isEmpty()) {
      errors.add(ConfigError.at(value.origin(),
          "pool " + id + ": members must be a non-empty list of member blocks"));
      return List.of();
    }
    List<MemberConfig> members = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (ConfigValue item : pool.toConfig().getList("members")) {
      MemberConfig m = member(item, id, members.size(), poolCheck, file);
      if (m == null) {
        continue;
      }
      // One address twice would answer it twice and make its health key ambiguous.
      Integer earlier = seen.putIfAbsent(m.label(), m.line());
      if (earlier != null) {
        errors.add(ConfigError.at(item.origin(), "pool " + id + ": member "
            + m.label() + " is already listed on line " + earlier));
        continue;
      }
      members.add(m);
    }
    return members;
  }

  private MemberConfig member(ConfigValue item, String id, int index, ConfigObject poolCheck,
      Path file) {
    if (!(item instanceof ConfigObject obj)) {
      errors.add(ConfigError.at(item.origin(), "pool " + id + ": a member must be a block "
          + "such as { address = \"192.0.2.1\" }"));
      return null;
    }
    String where = "pool " + id + " member";
    StrictKeys.check(obj, KEYS, where, errors);
    String child = child(obj, where);
    InetAddress address = child != null ? null : address(obj, where);
    int weight = Integers.read(obj, "weight", PoolDefaults.WEIGHT, 0, PoolDefaults.MAX_WEIGHT,
        where, errors);
    int priority = Integers.read(obj, "priority", PoolDefaults.PRIORITY, 1, Integer.MAX_VALUE,
        where, errors);
    Admin admin = admin(obj, where);
    // The member's own check keys win; the rest come from the pool's check block.
    Config own = Values.check(obj, where, errors).toConfig();
    Config check = own.withFallback(CheckSpec.inherited(poolCheck.toConfig(), own));
    if (child != null) {
      if (obj.containsKey("check")) {
        errors.add(ConfigError.at(obj.get("check").origin(), where + " pool:" + child
            + ": a pool member has no check of its own; its health is its pool's"));
        return null;
      }
      return new MemberConfig(id, index, null, child, weight, priority, admin,
          ConfigFactory.empty(), file.toString(), obj.origin().lineNumber());
    }
    if (!check.isEmpty()) {
      // The pool's own keys are checked here too; PoolDirectory drops the repeats.
      CheckSpec.validate(check, null, errors);
    }
    if (address == null) {
      return null;
    }
    return new MemberConfig(id, index, address, null, weight, priority, admin, check,
        file.toString(), obj.origin().lineNumber());
  }

  /** The child pool's id of a {@code { pool = "x" }} member, or null for an address member. */
  private String child(ConfigObject member, String where) {
    ConfigValue value = member.get("pool");
    if (value == null) {
      return null;
    }
    if (member.containsKey("address")) {
      errors.add(ConfigError.at(value.origin(), where + ": a member has either an address or a "
          + "pool, not both"));
    }
    if (value.valueType() != ConfigValueType.STRING || ((String) value.unwrapped()).isEmpty()) {
      errors.add(ConfigError.at(value.origin(), where + ": pool must be the id of another pool"));
      return "";
    }
    return (String) value.unwrapped();
  }

  private InetAddress address(ConfigObject member, String where) {
    ConfigValue value = member.get("address");
    if (value == null) {
      errors.add(ConfigError.at(member.origin(), where + " has no address"));
      return null;
    }
    String text = String.valueOf(value.unwrapped());
    byte[] bytes = null;
    if (value.valueType() == ConfigValueType.STRING) {
      bytes = Address.toByteArray(text, Address.IPv4);
      if (bytes == null) {
        bytes = Address.toByteArray(text, Address.IPv6);
      }
    }
    try {
      // getByAddress never resolves; it turns an IPv4-mapped IPv6 literal into IPv4, which we
      // refuse rather than silently serve as an A record.
      InetAddress address = bytes == null ? null : InetAddress.getByAddress(bytes);
      if (address != null && !(bytes.length == 16 && address instanceof Inet4Address)) {
        return address;
      }
    } catch (UnknownHostException e) {
      // only for a wrong byte count, which Address.toByteArray never returns; reported below
    }
    errors.add(ConfigError.at(value.origin(), where + ": address '" + text
        + "' is not an IPv4 or IPv6 literal"));
    return null;
  }

  private Admin admin(ConfigObject member, String where) {
    ConfigValue value = member.get("admin");
    if (value == null) {
      return Admin.NONE;
    }
    Object v = value.unwrapped();
    for (Admin a : new Admin[] {Admin.UP, Admin.DOWN, Admin.DRAIN}) {
      if (a.name().toLowerCase().equals(v)) {
        return a;
      }
    }
    errors.add(ConfigError.at(value.origin(), where + ": admin must be up, down or drain, not '"
        + v + "'"));
    return Admin.NONE;
  }
}
