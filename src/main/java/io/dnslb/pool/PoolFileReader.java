package io.dnslb.pool;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import io.dnslb.config.ConfigError;
import io.dnslb.config.Durations;
import io.dnslb.config.Integers;
import io.dnslb.config.StrictKeys;
import io.dnslb.pool.policy.Policies;
import io.dnslb.pool.policy.Policy;
import io.dnslb.pool.policy.PolicyOptions;
import io.dnslb.pool.policy.PolicyType;
import io.dnslb.zone.ZoneSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * Reads {@code *.pools.conf} files into {@link PoolConfig}s. One reader serves one whole
 * directory load, because pool ids and pool names must be unique across files. Every problem is
 * collected as a {@code FILE:LINE} {@link ConfigError}; a pool with problems is left out.
 * Defaults are in {@link PoolDefaults}.
 */
final class PoolFileReader {
  private static final Set<String> FILE_KEYS = Set.of("pools");
  /** A pool's own keys; each policy that takes options adds its block's key, its name. */
  private static final Set<String> POOL_KEYS = poolKeys("names", "policy", "answers", "ttl",
      "when-all-down", "check", "members", "min-healthy", "min-serving", "ttl-min", "ttl-max",
      "slow-start");

  private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile(
      "\\p{Cntrl}");

  private final List<ConfigError> errors;
  private final PoolNames names;
  private final MemberReader members;
  /** Pool id → FILE:LINE where it was defined, across all files read so far. */
  private final Map<String, String> ids = new HashMap<>();

  PoolFileReader(ZoneSet zones, List<ConfigError> errors) {
    this.errors = errors;
    this.names = new PoolNames(zones, errors);
    this.members = new MemberReader(errors);
  }

  private static Set<String> poolKeys(String... own) {
    Set<String> keys = new java.util.HashSet<>(List.of(own));
    for (PolicyType type : Policies.all()) {
      if (type.options()) {
        keys.add(type.name());
      }
    }
    return Set.copyOf(keys);
  }

  /** Every pool id read so far, including pools left out because of errors. */
  Set<String> ids() {
    return ids.keySet();
  }

  /**
   * Parses with every {@code include} refused and without the environment: {@code ${HOME}} is an
   * error, {@code ${?HOME}} is absent. Substitutions within the file itself still work. Values of
   * a pool file reach {@code /status}, logs and probe requests; they must come from the file.
   */
  List<PoolConfig> read(Path file) {
    Config root;
    try {
      root = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults()
              .setSyntax(ConfigSyntax.CONF).setAllowMissing(false)
              .setIncluder(new RefusedIncludes()))
          .resolve(ConfigResolveOptions.noSystem());
    } catch (RefusedIncludes.Refused e) {
      errors.add(new ConfigError(file.toString(), includeLine(file),
          "include is not allowed in a pool file (" + e.getMessage() + "); put the pools in"
              + " this file or another *.pools.conf file of the zones directory"));
      return List.of();
    } catch (ConfigException e) {
      errors.add(syntaxError(file, e));
      return List.of();
    }
    BlockConcatenation.check(file, errors);
    StrictKeys.check(root.root(), FILE_KEYS, "pool file", errors);
    ConfigValue pools = root.root().get("pools");
    if (pools == null) {
      return List.of();
    }
    if (!(pools instanceof ConfigObject poolsObject)) {
      errors.add(ConfigError.at(pools.origin(), "pools must be a block of pool definitions"));
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

  private static int includeLine(Path file) {
    try {
      return RefusedIncludes.firstIncludeLine(Files.readString(file));
    } catch (IOException | RuntimeException unreadable) {
      return 0; // it was just parsed; the error still names the file
    }
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
      errors.add(ConfigError.at(value.origin(), "pool " + id + " must be a block"));
      return null;
    }
    if (CONTROL.matcher(id).find()) {
      // it would reach logs and /status: a newline there forges a log line
      errors.add(ConfigError.at(obj.origin(), "pool id \"" + CONTROL.matcher(id).replaceAll("?")
          + "\" contains control characters"));
      return null;
    }
    String where = "pool " + id;
    int line = obj.origin().lineNumber();
    String earlier = ids.putIfAbsent(id, file + ":" + line);
    if (earlier != null) {
      errors.add(ConfigError.at(obj.origin(), "pool id " + id + " is already defined at "
          + earlier));
    }
    StrictKeys.check(obj, POOL_KEYS, where, errors);
    List<Name> poolNames = names.read(obj, id);
    PolicyType type = policyType(obj, where);
    int defaultAnswers = type != null ? type.defaultAnswers() : 1;
    int answers = Integers.read(obj, "answers", defaultAnswers, 1, PoolDefaults.MAX_ANSWERS,
        where, errors);
    boolean ttlAuto = obj.get("ttl") != null && "auto".equals(obj.get("ttl").unwrapped());
    Duration ttl = ttlAuto ? duration(obj, "ttl-max", PoolDefaults.TTL, where) : ttl(obj, where);
    Duration ttlMin = duration(obj, "ttl-min", PoolDefaults.TTL_MIN, where);
    if (!ttlAuto) {
      for (String key : List.of("ttl-min", "ttl-max")) {
        if (obj.get(key) != null) {
          errors.add(ConfigError.at(obj.get(key).origin(), where + ": " + key + " needs ttl = auto"));
        }
      }
    } else if (ttlMin.compareTo(ttl) > 0) {
      errors.add(ConfigError.at(obj.get("ttl").origin(), where + ": ttl-min "
          + ttlMin.toSeconds() + "s is more than ttl-max " + ttl.toSeconds() + "s"));
    }
    Duration slowStart = duration(obj, "slow-start", Duration.ZERO, where);
    boolean failOpen = failOpen(obj, where);
    ConfigObject poolCheck = Values.check(obj, where, errors);
    MinHealthy minHealthy = minHealthy(obj, where);
    List<MemberConfig> poolMembers = members.read(obj, id, poolCheck, file);
    Policy policy = policy(type, obj, id, failOpen, poolMembers, errors.size() == before,
        file.toAbsolutePath().getParent());
    int minServing = Integers.read(obj, "min-serving", PoolDefaults.MIN_SERVING, 0,
        PoolDefaults.MAX_MEMBERS, where, errors);
    if (errors.size() > before) {
      return null;
    }
    return new PoolConfig(id, poolNames, policy, answers, ttl, failOpen, minHealthy, poolMembers, minServing, file.toString(), line, ttlAuto, ttlMin, slowStart);
  }

  private PolicyType policyType(ConfigObject pool, String where) {
    ConfigValue value = pool.get("policy");
    if (value == null) {
      return Policies.DEFAULT;
    }
    PolicyType type = Policies.byName(String.valueOf(value.unwrapped()));
    if (type == null) {
      errors.add(ConfigError.at(value.origin(), where + ": unknown policy '" + value.unwrapped()
          + "' (known: " + String.join(", ", Policies.names()) + ")"));
    }
    return type;
  }

  /**
   * The pool's policy, which reads its own options block; another policy's block is refused.
   * Null when the type is unknown or the options have errors (recorded).
   */
  private Policy policy(PolicyType type, ConfigObject pool, String id, boolean failOpen,
      List<MemberConfig> poolMembers, boolean membersValid, Path zonesDir) {
    for (PolicyType other : Policies.all()) {
      ConfigValue block = pool.get(other.name());
      if (other.options() && other != type && block != null) {
        errors.add(ConfigError.at(block.origin(), "pool " + id + ": a " + other.name()
            + " block needs policy = " + other.name()));
      }
    }
    if (type == null) {
      return null;
    }
    Map<String, Integer> pools = null;
    if (membersValid) {
      pools = new HashMap<>();
      for (MemberConfig m : poolMembers) {
        if (m.isPool()) {
          pools.put(m.pool(), m.index());
        }
      }
    }
    return type.read(new PolicyOptions(id, pool, failOpen, pools, zonesDir, errors));
  }

  /** {@code min-healthy = 2} or {@code "50%"}; see {@link MinHealthy}. */
  private MinHealthy minHealthy(ConfigObject pool, String where) {
    ConfigValue value = pool.get("min-healthy");
    if (value == null) {
      return MinHealthy.ONE;
    }
    Object v = value.unwrapped();
    if (v instanceof Integer n && n >= 1) {
      return new MinHealthy(n, 0);
    }
    if (v instanceof String text && text.matches("[0-9]{1,3}%")) {
      int percent = Integer.parseInt(text.substring(0, text.length() - 1));
      if (percent >= 1 && percent <= 100) {
        return new MinHealthy(0, percent);
      }
    }
    errors.add(ConfigError.at(value.origin(), where + ": min-healthy must be a whole number >= 1 "
        + "or a percentage such as \"50%\", not " + value.render()));
    return MinHealthy.ONE;
  }

  private Duration ttl(ConfigObject pool, String where) {
    ConfigValue value = pool.get("ttl");
    if (value == null) {
      return PoolDefaults.TTL;
    }
    try {
      Duration ttl = Durations.read(value, "ttl", where + ": ");
      if (!ttl.isNegative() && ttl.toSeconds() <= Integer.MAX_VALUE) {
        return ttl;
      }
      errors.add(ConfigError.at(value.origin(), where + ": ttl must not be negative"));
    } catch (ConfigError e) {
      errors.add(e);
    }
    return PoolDefaults.TTL;
  }

  /** An optional non-negative duration key (ttl-min, ttl-max, slow-start). */
  private Duration duration(ConfigObject pool, String key, Duration fallback, String where) {
    ConfigValue value = pool.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      Duration d = Durations.read(value, key, where + ": ");
      if (!d.isNegative() && d.toSeconds() <= Integer.MAX_VALUE) {
        return d;
      }
      errors.add(ConfigError.at(value.origin(), where + ": " + key + " must not be negative"));
    } catch (ConfigError e) {
      errors.add(e);
    }
    return fallback;
  }

  private boolean failOpen(ConfigObject pool, String where) {
    ConfigValue value = pool.get("when-all-down");
    if (value == null) {
      return PoolDefaults.FAIL_OPEN;
    }
    Object v = value.unwrapped();
    if ("fail-open".equals(v) || "servfail".equals(v)) {
      return "fail-open".equals(v);
    }
    errors.add(ConfigError.at(value.origin(), where + ": when-all-down must be fail-open or "
        + "servfail, not '" + v + "'"));
    return PoolDefaults.FAIL_OPEN;
  }

}
