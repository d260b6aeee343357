package io.dnslb.health;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigOrigin;
import io.dnslb.config.ConfigError;
import io.dnslb.health.check.CheckRegistry;
import io.dnslb.health.check.CheckType;
import io.dnslb.health.check.CheckValues;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One member's health check, parsed strictly from its merged {@code check { … }} block: the keys
 * every type shares, and the type's own options, which the type reads and validates itself
 * ({@link CheckType#options()}).
 *
 * <p>Defaults: type {@code tcp}; {@code port} has no default and is required for socket checks
 * (tcp, http, https: a guessed port probes the wrong service silently); host {@code null} (the
 * caller's default, the first pool name); interval 5s; timeout 2s (must be below interval); rise
 * 2; fall 3; address {@code null} (the member's own); fast-fail true for socket checks. The
 * types' own defaults are in their files (http: path {@code /}, expect 200-399, tls-verify true,
 * no load figure).
 *
 * @param port 0 when not given (only allowed for types that are not socket checks)
 * @param host the Host/SNI name (http, https) and DNSLB_HOST (exec), null for the caller's default
 * @param fastFail a refused or unreachable connection marks the member down at once, without
 *     waiting for {@code fall} (only socket checks can tell that failure apart)
 * @param options what the type read from its own keys, null when it has none
 */
public record CheckSpec(
    CheckType type,
    int port,
    String host,
    String address,
    Duration interval,
    Duration timeout,
    int rise,
    int fall,
    boolean fastFail,
    Object options) {

  /** The keys every type reads, whatever it is. */
  static final Set<String> COMMON_KEYS = Set.of("type", "port", "host", "address", "interval",
      "timeout", "rise", "fall", "fast-fail");

  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  /** A check that always passes, for pools whose members are not probed. */
  public static CheckSpec none() {
    return new CheckSpec(CheckRegistry.NONE, 0, null, null, Duration.ofSeconds(5),
        Duration.ofSeconds(2), 2, 3, false, null);
  }

  /** False for members that are not probed ({@code type = none}). */
  public boolean probed() {
    return type != CheckRegistry.NONE;
  }

  /** Where the backend reports its load, or null when this check reads no figure. */
  public LoadSpec load() {
    return options instanceof CheckType.LoadOptions o ? o.load() : null;
  }

  /** The type's options, as the check that reads them knows them. */
  public <T> T options(Class<T> type) {
    return type.cast(options);
  }

  /** Every key some type reads: what an unknown key is told. */
  public static Set<String> keys() {
    Set<String> all = new TreeSet<>(COMMON_KEYS);
    for (CheckType t : CheckRegistry.all()) {
      all.addAll(t.keys());
    }
    return all;
  }

  /**
   * @param probesDir where exec probes live; a command must name an executable file directly inside it
   * @throws ConfigError at the FILE:LINE of the first offending key (or of the block); every
   *     further problem is attached as a {@linkplain Throwable#getSuppressed() suppressed} error
   */
  public static CheckSpec parse(Config check, Path probesDir) throws ConfigError {
    List<ConfigError> errors = new ArrayList<>();
    CheckSpec spec = read(check, probesDir, errors);
    if (!errors.isEmpty()) {
      throw ConfigError.all(errors);
    }
    return spec;
  }

  /**
   * The one validator of check blocks: the pool loader calls it on every member's merged block
   * and {@link #parse} on the probe plan, so both accept and refuse the same things.
   *
   * @param probesDir where exec probes must exist, or null to skip that check (the pool loader
   *     does not know the probes directory; the probe plan checks it)
   */
  public static void validate(Config check, Path probesDir, List<ConfigError> errors) {
    read(check, probesDir, errors);
  }

  /**
   * The pool's check block as a member of another type inherits it: a member that names its own
   * type (say tcp under a pool checked by http) takes the pool's shared keys (port, interval, …)
   * but not the keys only the pool's type understands (path, expect, command, …), which would
   * otherwise be refused as foreign to the member's type. Keys the member writes itself are still
   * checked strictly.
   */
  public static Config inherited(Config poolCheck, Config memberCheck) {
    if (!memberCheck.hasPath("type") || poolCheck.isEmpty()) {
      return poolCheck;
    }
    CheckType type = CheckRegistry.byName(memberCheck.getValue("type").unwrapped().toString());
    if (type == null) {
      return poolCheck; // reported as an unknown type by validate
    }
    Config kept = poolCheck;
    for (String key : poolCheck.root().keySet()) {
      boolean shared = COMMON_KEYS.contains(key) && !(key.equals("fast-fail") && !type.socket());
      if (!shared && !type.keys().contains(key)) {
        kept = kept.withoutPath(key);
      }
    }
    return kept;
  }

  /** Reads every key, adding one error per problem; the result is meaningless when any was added. */
  private static CheckSpec read(Config check, Path probesDir, List<ConfigError> errors) {
    Set<String> known = keys();
    for (String key : check.root().keySet()) {
      if (!known.contains(key)) {
        errors.add(error(check.root().get(key).origin(), "check: unknown key \"" + key
            + "\" (known: " + String.join(", ", known) + ")"));
      }
    }
    String typeName = CheckValues.string(check, "type", CheckRegistry.DEFAULT.name(), errors);
    CheckType type = CheckRegistry.byName(typeName);
    if (type == null) {
      errors.add(CheckValues.error(check, "type", "check: unknown type \"" + typeName
          + "\" (known: " + String.join(", ", CheckRegistry.namesWith(t -> true)) + ")"));
      type = CheckRegistry.DEFAULT;
    }
    int port = 0;
    if (check.hasPath("port")) {
      port = CheckValues.integer(check, "port", 0, errors);
      if (port < 1 || port > 65535) {
        errors.add(CheckValues.error(check, "port", "check: port "
            + check.getValue("port").render() + " is not in 1-65535"));
      }
    }
    String host = CheckValues.string(check, "host", null, errors);
    if (host != null && (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == 0x7f))) {
      errors.add(CheckValues.error(check, "host", "check: host must be a non-empty name without spaces"));
    }
    // A member that is not probed (type = none) under a pool whose check is, say, http inherits
    // the pool's http keys: they mean nothing to it, and refusing them would refuse the usual
    // way to leave one member unprobed. Any other type refuses another type's keys.
    boolean ignoresOthers = type == CheckRegistry.NONE;
    for (String key : check.root().keySet()) {
      if (!ignoresOthers && known.contains(key) && !COMMON_KEYS.contains(key)
          && !type.keys().contains(key)) {
        errors.add(CheckValues.error(check, key, "check: " + key + " is only for "
            + names(CheckRegistry.namesWith(t -> t.keys().contains(key))) + " checks"));
      }
    }
    Object options = type.options().read(check, probesDir, errors);
    String address = CheckValues.string(check, "address", null, errors);
    if (address != null && !isIpLiteral(address)) {
      errors.add(CheckValues.error(check, "address", "check: address \"" + address + "\" is not an IPv4 or IPv6 address"));
    }
    Duration interval = CheckValues.duration(check, "interval", Duration.ofSeconds(5), errors);
    Duration timeout = CheckValues.duration(check, "timeout", Duration.ofSeconds(2), errors);
    if (interval.toMillis() < 100) {
      errors.add(CheckValues.error(check, "interval", "check: interval must be at least 100ms"));
    } else if (timeout.toMillis() < 1) {
      errors.add(CheckValues.error(check, "timeout", "check: timeout must be at least 1ms"));
    } else if (timeout.compareTo(interval) >= 0) {
      errors.add(CheckValues.error(check, check.hasPath("timeout") ? "timeout" : "interval",
          "check: timeout " + timeout.toMillis() + "ms must be less than interval " + interval.toMillis() + "ms"));
    }
    int rise = CheckValues.integer(check, "rise", 2, errors);
    int fall = CheckValues.integer(check, "fall", 3, errors);
    if (rise < 1 || rise > 100) {
      errors.add(CheckValues.error(check, "rise", "check: rise must be 1-100"));
    }
    if (fall < 1 || fall > 100) {
      errors.add(CheckValues.error(check, "fall", "check: fall must be 1-100"));
    }
    if (!check.hasPath("port") && type.socket()) {
      errors.add(CheckValues.error(check.origin(), "check: type " + type.name() + " needs a port"));
    }
    boolean fastFail = CheckValues.bool(check, "fast-fail", type.socket(), errors);
    if (fastFail && !type.socket()) {
      errors.add(CheckValues.error(check, "fast-fail", "check: fast-fail is only for "
          + names(CheckRegistry.namesWith(CheckType::socket)) + " checks"));
    }
    return new CheckSpec(type, port, host, address, interval, timeout, rise, fall, fastFail,
        options);
  }

  /** {@code a}, {@code a and b}, {@code a, b and c}. */
  private static String names(List<String> names) {
    int n = names.size();
    return n <= 1 ? String.join("", names)
        : String.join(", ", names.subList(0, n - 1)) + " and " + names.get(n - 1);
  }

  static boolean isIpLiteral(String s) {
    var m = IPV4.matcher(s);
    if (m.matches()) {
      for (int i = 1; i <= 4; i++) {
        if (Integer.parseInt(m.group(i)) > 255) {
          return false;
        }
      }
      return true;
    }
    if (!s.contains(":") || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
      return false;
    }
    try {
      InetAddress.getByName(s); // a literal with a colon is parsed, never looked up
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  static ConfigError error(ConfigOrigin origin, String problem) {
    return ConfigError.at(origin, problem);
  }
}
