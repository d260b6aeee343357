package io.dnslb.pool;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.dnslb.config.ConfigError;
import io.dnslb.config.StrictKeys;
import io.dnslb.pool.policy.Policies;
import io.dnslb.pool.policy.Policy;
import io.dnslb.pool.policy.StickyPrefixes;
import io.dnslb.zone.Node;
import io.dnslb.zone.Zone;
import io.dnslb.zone.ZoneSet;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.Address;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Reads {@code *.pools.conf} files into {@link PoolConfig}s. One reader serves one whole
 * directory load, because pool ids and pool names must be unique across files. Every problem is
 * collected as a {@code FILE:LINE} {@link ConfigError}; a pool with problems is left out.
 */
final class PoolFileReader {
  // ---- Pool defaults: the value a pool gets for every key it leaves out. ----
  /** A policy that behaves like plain multi-address DNS, surprising no one. */
  static final String DEFAULT_POLICY = "round-robin";
  /** Round-robin answers every healthy member; 8 keeps even AAAA answers far inside 512 bytes. */
  static final int DEFAULT_ANSWERS_ROUND_ROBIN = 8;
  /** Other policies exist to pick one member, so one address per answer. */
  static final int DEFAULT_ANSWERS = 1;
  /** Short enough that clients follow a health change within half a minute. */
  static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
  /** Fail open: a broken health check must not take a service off the DNS (gdnsd's choice). */
  static final boolean DEFAULT_FAIL_OPEN = true;
  static final int DEFAULT_WEIGHT = 1;
  static final int DEFAULT_PRIORITY = 1;
  // Sticky prefixes default to StickyPrefixes.DEFAULT (/24 and /56).

  // ---- Limits. ----
  static final int MAX_WEIGHT = 1000;
  /** 16 AAAA records still fit a 512-byte UDP answer, so a pool never forces truncation. */
  static final int MAX_ANSWERS = 16;

  private static final Set<String> FILE_KEYS = Set.of("pools");
  private static final Set<String> POOL_KEYS = Set.of("names", "policy", "answers", "ttl",
      "when-all-down", "sticky", "check", "members");
  private static final Set<String> STICKY_KEYS = Set.of("ipv4-prefix", "ipv6-prefix");
  private static final Set<String> MEMBER_KEYS =
      Set.of("address", "weight", "priority", "admin", "check");

  private final ZoneSet zones;
  private final List<ConfigError> errors;
  /** Pool id → where it was defined, across all files read so far. */
  private final Map<String, String> ids = new HashMap<>();
  /** Owner name → the pool that answers it, across all files read so far. */
  private final Map<Name, String> claims = new HashMap<>();

  PoolFileReader(ZoneSet zones, List<ConfigError> errors) {
    this.zones = zones;
    this.errors = errors;
  }

  List<PoolConfig> read(Path file) {
    Config root;
    try {
      root = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults()
          .setSyntax(ConfigSyntax.CONF).setAllowMissing(false)).resolve();
    } catch (ConfigException e) {
      errors.add(syntaxError(file, e));
      return List.of();
    }
    StrictKeys.check(root.root(), FILE_KEYS, "pool file", errors);
    ConfigValue pools = root.root().get("pools");
    if (pools == null) {
      return List.of();
    }
    if (!(pools instanceof ConfigObject poolsObject)) {
      errors.add(StrictKeys.at(pools.origin(), "pools must be a block of pool definitions"));
      return List.of();
    }
    List<PoolConfig> result = new ArrayList<>();
    List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(poolsObject.entrySet());
    entries.sort(Comparator.comparingInt(e -> e.getValue().origin().lineNumber()));
    for (Map.Entry<String, ConfigValue> e : entries) {
      PoolConfig pool = pool(file, e.getKey(), e.getValue());
      if (pool != null) {
        result.add(pool);
      }
    }
    return result;
  }

  private static ConfigError syntaxError(Path file, ConfigException e) {
    ConfigOrigin origin = e.origin();
    if (origin == null) {
      return new ConfigError(file.toString(), 0, e.getMessage());
    }
    // Typesafe prefixes its message with the origin; we print our own FILE:LINE.
    String message = e.getMessage();
    String prefix = origin.description() + ": ";
    if (message.startsWith(prefix)) {
      message = message.substring(prefix.length());
    }
    String name = origin.filename() != null ? origin.filename() : file.toString();
    return new ConfigError(name, Math.max(0, origin.lineNumber()), message);
  }

  private PoolConfig pool(Path file, String id, ConfigValue value) {
    int before = errors.size();
    if (!(value instanceof ConfigObject obj)) {
      errors.add(StrictKeys.at(value.origin(), "pool " + id + " must be a block"));
      return null;
    }
    String where = "pool " + id;
    int line = obj.origin().lineNumber();
    String here = file + ":" + line;
    String earlier = ids.putIfAbsent(id, here);
    if (earlier != null) {
      errors.add(StrictKeys.at(obj.origin(), "pool id " + id + " is already defined at "
          + earlier));
    }
    StrictKeys.check(obj, POOL_KEYS, where, errors);
    Config c = obj.toConfig();

    List<Name> names = names(obj, id);
    Policy policy = policy(obj, where);
    int defaultAnswers = policy != null && policy.name().equals("round-robin")
        ? DEFAULT_ANSWERS_ROUND_ROBIN : DEFAULT_ANSWERS;
    int answers = integer(obj, "answers", defaultAnswers, 1, MAX_ANSWERS, where);
    Duration ttl = ttl(obj, where);
    boolean failOpen = failOpen(obj, where);
    StickyPrefixes sticky = sticky(obj, policy, where);
    ConfigObject poolCheck = check(obj, where);
    List<MemberConfig> members = members(obj, id, poolCheck, file);
    if (errors.size() > before) {
      return null;
    }
    return new PoolConfig(id, names, policy, answers, ttl, failOpen, sticky, members,
        file.toString(), line);
  }

  private List<Name> names(ConfigObject pool, String id) {
    ConfigValue value = pool.get("names");
    if (value == null) {
      errors.add(StrictKeys.at(pool.origin(), "pool " + id + " has no names"));
      return List.of();
    }
    if (value.valueType() != ConfigValueType.LIST
        || ((List<?>) value.unwrapped()).isEmpty()) {
      errors.add(StrictKeys.at(value.origin(),
          "pool " + id + ": names must be a non-empty list of domain names"));
      return List.of();
    }
    List<Name> names = new ArrayList<>();
    for (ConfigValue item : pool.toConfig().getList("names")) {
      Name name = name(item, id);
      if (name != null) {
        names.add(name);
      }
    }
    return names;
  }

  /** One pool name, checked against the zones and the other pools; null if unusable. */
  private Name name(ConfigValue item, String id) {
    ConfigOrigin origin = item.origin();
    if (item.valueType() != ConfigValueType.STRING) {
      errors.add(StrictKeys.at(origin, "pool " + id + ": names must be strings"));
      return null;
    }
    String text = (String) item.unwrapped();
    Name name;
    try {
      name = Name.fromString(text);
    } catch (TextParseException e) {
      errors.add(StrictKeys.at(origin, "pool " + id + ": bad name '" + text + "': "
          + e.getMessage()));
      return null;
    }
    if (!name.isAbsolute()) {
      errors.add(StrictKeys.at(origin, "pool " + id + ": name " + text
          + " must be absolute (end with a dot)"));
      return null;
    }
    Zone zone = zones.find(name);
    if (zone == null) {
      errors.add(StrictKeys.at(origin, "pool " + id + ": name " + name
          + " is not inside any loaded zone"));
      return null;
    }
    Node node = zone.lookup(name);
    for (int type : new int[] {Type.A, Type.AAAA, Type.CNAME}) {
      if (node != null && node.rrset(type) != null) {
        errors.add(StrictKeys.at(origin, "pool " + id + ": name " + name + " also has static "
            + Type.string(type) + " records in " + zone.file()
            + "; a pool name's addresses come from the pool only"));
        return null;
      }
    }
    String other = claims.putIfAbsent(name, id);
    if (other != null) {
      errors.add(StrictKeys.at(origin, "pool " + id + ": name " + name
          + " is already answered by pool " + other));
      return null;
    }
    return name;
  }

  private Policy policy(ConfigObject pool, String where) {
    ConfigValue value = pool.get("policy");
    if (value == null) {
      return Policies.byName(DEFAULT_POLICY);
    }
    Policy policy = Policies.byName(String.valueOf(value.unwrapped()));
    if (policy == null || value.valueType() != ConfigValueType.STRING) {
      errors.add(StrictKeys.at(value.origin(), where + ": unknown policy '" + value.unwrapped()
          + "' (known: " + String.join(", ", Policies.names()) + ")"));
      return null;
    }
    return policy;
  }

  private Duration ttl(ConfigObject pool, String where) {
    ConfigValue value = pool.get("ttl");
    if (value == null) {
      return DEFAULT_TTL;
    }
    try {
      Duration ttl = pool.toConfig().getDuration("ttl");
      if (!ttl.isNegative() && ttl.toSeconds() <= Integer.MAX_VALUE) {
        return ttl;
      }
    } catch (ConfigException e) {
      // reported below
    }
    errors.add(StrictKeys.at(value.origin(), where + ": ttl must be a duration such as 30s"));
    return DEFAULT_TTL;
  }

  private boolean failOpen(ConfigObject pool, String where) {
    ConfigValue value = pool.get("when-all-down");
    if (value == null) {
      return DEFAULT_FAIL_OPEN;
    }
    Object v = value.unwrapped();
    if ("fail-open".equals(v)) {
      return true;
    }
    if ("servfail".equals(v)) {
      return false;
    }
    errors.add(StrictKeys.at(value.origin(), where + ": when-all-down must be fail-open or "
        + "servfail, not '" + v + "'"));
    return DEFAULT_FAIL_OPEN;
  }

  private StickyPrefixes sticky(ConfigObject pool, Policy policy, String where) {
    ConfigValue value = pool.get("sticky");
    if (value == null) {
      return StickyPrefixes.DEFAULT;
    }
    if (!(value instanceof ConfigObject block)) {
      errors.add(StrictKeys.at(value.origin(), where + ": sticky must be a block"));
      return StickyPrefixes.DEFAULT;
    }
    if (policy != null && !policy.name().equals("sticky")) {
      errors.add(StrictKeys.at(value.origin(), where + ": sticky options need policy = sticky"));
    }
    StrictKeys.check(block, STICKY_KEYS, where + " sticky", errors);
    return new StickyPrefixes(
        integer(block, "ipv4-prefix", StickyPrefixes.DEFAULT.ipv4(), 1, 32, where),
        integer(block, "ipv6-prefix", StickyPrefixes.DEFAULT.ipv6(), 1, 128, where));
  }

  /** The {@code check} block of a pool or member, validated; empty when absent. */
  private ConfigObject check(ConfigObject owner, String where) {
    ConfigValue value = owner.get("check");
    if (value == null) {
      return ConfigFactory.empty().root();
    }
    if (!(value instanceof ConfigObject block)) {
      errors.add(StrictKeys.at(value.origin(), where + ": check must be a block"));
      return ConfigFactory.empty().root();
    }
    CheckBlock.validate(block, where + " check", errors);
    return block;
  }

  private List<MemberConfig> members(ConfigObject pool, String id, ConfigObject poolCheck,
      Path file) {
    ConfigValue value = pool.get("members");
    if (value == null) {
      errors.add(StrictKeys.at(pool.origin(), "pool " + id + " has no members"));
      return List.of();
    }
    if (value.valueType() != ConfigValueType.LIST
        || ((List<?>) value.unwrapped()).isEmpty()) {
      errors.add(StrictKeys.at(value.origin(),
          "pool " + id + ": members must be a non-empty list of member blocks"));
      return List.of();
    }
    List<MemberConfig> members = new ArrayList<>();
    Map<InetAddress, Integer> seen = new HashMap<>();
    for (ConfigValue item : pool.toConfig().getList("members")) {
      MemberConfig m = member(item, id, members.size(), poolCheck, file);
      if (m == null) {
        continue;
      }
      Integer earlier = seen.putIfAbsent(m.address(), m.line());
      if (earlier != null) {
        errors.add(StrictKeys.at(item.origin(), "pool " + id + ": member "
            + m.address().getHostAddress() + " is already listed on line " + earlier));
        continue;
      }
      members.add(m);
    }
    return members;
  }

  private MemberConfig member(ConfigValue item, String id, int index, ConfigObject poolCheck,
      Path file) {
    if (!(item instanceof ConfigObject obj)) {
      errors.add(StrictKeys.at(item.origin(), "pool " + id + ": a member must be a block "
          + "such as { address = \"192.0.2.1\" }"));
      return null;
    }
    String where = "pool " + id + " member";
    StrictKeys.check(obj, MEMBER_KEYS, where, errors);
    InetAddress address = address(obj, where);
    int weight = integer(obj, "weight", DEFAULT_WEIGHT, 0, MAX_WEIGHT, where);
    int priority = integer(obj, "priority", DEFAULT_PRIORITY, 1, Integer.MAX_VALUE, where);
    Admin admin = admin(obj, where);
    // The member's own check keys win; the rest come from the pool's check block.
    Config check = check(obj, where).toConfig().withFallback(poolCheck);
    if (address == null) {
      return null;
    }
    return new MemberConfig(id, index, address, weight, priority, admin, check,
        file.toString(), obj.origin().lineNumber());
  }

  private InetAddress address(ConfigObject member, String where) {
    ConfigValue value = member.get("address");
    if (value == null) {
      errors.add(StrictKeys.at(member.origin(), where + " has no address"));
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
      // bytes of a wrong length cannot come from Address.toByteArray; reported below
    }
    errors.add(StrictKeys.at(value.origin(), where + ": address '" + text
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
    errors.add(StrictKeys.at(value.origin(), where + ": admin must be up, down or drain, not '"
        + v + "'"));
    return Admin.NONE;
  }

  private int integer(ConfigObject block, String key, int fallback, int min, int max,
      String where) {
    ConfigValue value = block.get(key);
    if (value == null) {
      return fallback;
    }
    if (value.unwrapped() instanceof Integer n && n >= min && n <= max) {
      return n;
    }
    String range = max == Integer.MAX_VALUE ? ">= " + min : min + ".." + max;
    errors.add(StrictKeys.at(value.origin(), where + ": " + key + " must be a whole number "
        + range + ", not " + value.render()));
    return fallback;
  }
}
