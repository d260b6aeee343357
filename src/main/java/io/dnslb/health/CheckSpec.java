package io.dnslb.health;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.dnslb.config.ConfigError;
import io.dnslb.config.Durations;
import io.dnslb.health.check.CheckType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One member's health check, parsed strictly from its merged {@code check { … }} block.
 *
 * <p>Defaults: type {@code tcp}; {@code port} has no default and is required for tcp, http and
 * https (a guessed port probes the wrong service silently); path {@code /}; host {@code null}
 * (the caller's default, the first pool name); expect 200-399; tls-verify true; interval 5s;
 * timeout 2s (must be below interval); rise 2; fall 3; address {@code null} (the member's own);
 * fast-fail true for tcp, http and https; no load figure.
 *
 * @param port 0 when not given (only allowed for exec and none)
 * @param fastFail a refused or unreachable connection marks the member down at once, without
 *     waiting for {@code fall} (only socket checks can tell that failure apart)
 * @param load where an http(s) backend reports its load; null when it does not
 */
public record CheckSpec(
    CheckType type,
    int port,
    String path,
    String host,
    StatusCodes expect,
    boolean tlsVerify,
    List<String> command,
    String address,
    Duration interval,
    Duration timeout,
    int rise,
    int fall,
    boolean fastFail,
    LoadSpec load) {

  public static final Set<String> KEYS =
      Set.of("type", "port", "path", "host", "expect", "tls-verify", "command", "address",
          "interval", "timeout", "rise", "fall", "fast-fail", "load");
  private static final Set<String> LOAD_KEYS = Set.of("header", "json", "low", "high");

  private static final Pattern PROBE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  public CheckSpec {
    command = List.copyOf(command);
  }

  /** A check that always passes, for pools whose members are not probed. */
  public static CheckSpec none() {
    return new CheckSpec(CheckType.NONE, 0, "/", null, StatusCodes.DEFAULT, true, List.of(), null,
        Duration.ofSeconds(5), Duration.ofSeconds(2), 2, 3, false, null);
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

  /** Reads every key, adding one error per problem; the result is meaningless when any was added. */
  private static CheckSpec read(Config check, Path probesDir, List<ConfigError> errors) {
    for (String key : check.root().keySet()) {
      if (!KEYS.contains(key)) {
        errors.add(error(check.root().get(key).origin(), "check: unknown key \"" + key + "\" (known: "
            + String.join(", ", KEYS.stream().sorted().toList()) + ")"));
      }
    }
    String typeName = string(check, "type", "tcp", errors);
    CheckType type = CheckType.byConfigName(typeName).orElse(null);
    if (type == null) {
      errors.add(error(check, "type",
          "check: unknown type \"" + typeName + "\" (known: tcp, http, https, exec, none)"));
      type = CheckType.TCP;
    }
    int port = 0;
    if (check.hasPath("port")) {
      port = integer(check, "port", 0, errors);
      if (port < 1 || port > 65535) {
        errors.add(error(check, "port", "check: port " + check.getValue("port").render()
            + " is not in 1-65535"));
      }
    }
    String path = string(check, "path", "/", errors);
    if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      errors.add(error(check, "path", "check: path must start with / and contain no spaces or control characters"));
    }
    String host = string(check, "host", null, errors);
    if (host != null && (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == 0x7f))) {
      errors.add(error(check, "host", "check: host must be a non-empty name without spaces"));
    }
    StatusCodes expect = check.hasPath("expect") ? parseExpect(check, errors) : StatusCodes.DEFAULT;
    boolean tlsVerify = true;
    if (check.hasPath("tls-verify")) {
      ConfigValue v = check.getValue("tls-verify");
      if (v.valueType() == ConfigValueType.BOOLEAN) {
        tlsVerify = (Boolean) v.unwrapped();
      } else {
        errors.add(error(v.origin(), "check: tls-verify must be true or false, not " + v.render()));
      }
    }
    List<String> command = command(check, errors);
    if (type == CheckType.EXEC) {
      validateCommand(check, command, probesDir, errors);
    } else if (!command.isEmpty()) {
      errors.add(error(check, "command", "check: command is only for type exec"));
    }
    String address = string(check, "address", null, errors);
    if (address != null && !isIpLiteral(address)) {
      errors.add(error(check, "address", "check: address \"" + address + "\" is not an IPv4 or IPv6 address"));
    }
    Duration interval = duration(check, "interval", Duration.ofSeconds(5), errors);
    Duration timeout = duration(check, "timeout", Duration.ofSeconds(2), errors);
    if (interval.toMillis() < 100) {
      errors.add(error(check, "interval", "check: interval must be at least 100ms"));
    } else if (timeout.toMillis() < 1) {
      errors.add(error(check, "timeout", "check: timeout must be at least 1ms"));
    } else if (timeout.compareTo(interval) >= 0) {
      errors.add(error(check, check.hasPath("timeout") ? "timeout" : "interval",
          "check: timeout " + timeout.toMillis() + "ms must be less than interval " + interval.toMillis() + "ms"));
    }
    int rise = integer(check, "rise", 2, errors);
    int fall = integer(check, "fall", 3, errors);
    if (rise < 1 || rise > 100) {
      errors.add(error(check, "rise", "check: rise must be 1-100"));
    }
    if (fall < 1 || fall > 100) {
      errors.add(error(check, "fall", "check: fall must be 1-100"));
    }
    if (!check.hasPath("port") && type.needsPort()) {
      errors.add(error(check.origin(), "check: type " + type.configName() + " needs a port"));
    }
    boolean socket = type == CheckType.TCP || type == CheckType.HTTP || type == CheckType.HTTPS;
    boolean fastFail = socket;
    if (check.hasPath("fast-fail")) {
      ConfigValue v = check.getValue("fast-fail");
      if (v.valueType() != ConfigValueType.BOOLEAN) {
        errors.add(error(v.origin(), "check: fast-fail must be true or false, not " + v.render()));
      } else {
        fastFail = (Boolean) v.unwrapped();
        if (fastFail && !socket) {
          errors.add(error(v.origin(), "check: fast-fail is only for tcp, http and https checks"));
        }
      }
    }
    LoadSpec load = null;
    if (check.hasPath("load")) {
      ConfigValue v = check.getValue("load");
      if (type != CheckType.HTTP && type != CheckType.HTTPS) {
        errors.add(error(v.origin(), "check: load is only for http and https checks"));
      } else if (!(v instanceof ConfigObject block)) {
        errors.add(error(v.origin(), "check: load must be a block such as { header = \"X-Load\" }"));
      } else {
        try {
          load = parseLoad(block.toConfig(), v.origin());
        } catch (ConfigError e) {
          errors.add(e);
        } catch (ConfigException e) {
          errors.add(error(e.origin() != null ? e.origin() : v.origin(), "check: load: " + e.getMessage()));
        }
      }
    }
    return new CheckSpec(type, port, path, host, expect, tlsVerify, command, address, interval,
        timeout, rise, fall, fastFail, load);
  }

  private static LoadSpec parseLoad(Config load, ConfigOrigin where) throws ConfigError {
    for (String key : load.root().keySet()) {
      if (!LOAD_KEYS.contains(key)) {
        throw error(load.root().get(key).origin(), "check: load: unknown key \"" + key
            + "\" (known: header, json, low, high)");
      }
    }
    String header = load.hasPath("header") ? load.getString("header") : null;
    String json = load.hasPath("json") ? load.getString("json") : null;
    if ((header == null) == (json == null)) {
      throw error(where, "check: load needs exactly one of header = \"X-Load\" or json = \"field\"");
    }
    if (header != null && (header.isEmpty() || header.chars().anyMatch(c -> c <= ' ' || c == ':' || c >= 0x7f))) {
      throw error(load, "header", "check: load: header must be a header name");
    }
    if (json != null && (json.isEmpty() || json.indexOf('"') >= 0 || json.indexOf('\\') >= 0
        || json.chars().anyMatch(Character::isISOControl))) {
      throw error(load, "json", "check: load: json must be a field name");
    }
    double low = load.hasPath("low") ? load.getDouble("low") : LoadSpec.DEFAULT_LOW;
    double high = load.hasPath("high") ? load.getDouble("high") : LoadSpec.DEFAULT_HIGH;
    if (low < 0 || high > 100 || low >= high) {
      throw error(load.hasPath("low") ? load.getValue("low").origin() : where,
          "check: load: need 0 <= low < high <= 100 (low " + low + ", high " + high + ")");
    }
    return new LoadSpec(header, json, low, high);
  }

  /** A string value in our words; a wrong type is an error and the fallback is used. */
  private static String string(Config check, String key, String fallback, List<ConfigError> errors) {
    if (!check.hasPath(key)) {
      return fallback;
    }
    ConfigValue v = check.getValue(key);
    if (v.valueType() == ConfigValueType.STRING) {
      return (String) v.unwrapped();
    }
    errors.add(error(v.origin(), "check: " + key + " must be a string, not " + v.render()));
    return fallback == null ? "" : fallback;
  }

  private static int integer(Config check, String key, int fallback, List<ConfigError> errors) {
    if (!check.hasPath(key)) {
      return fallback;
    }
    ConfigValue v = check.getValue(key);
    if (v.unwrapped() instanceof Integer n) {
      return n;
    }
    errors.add(error(v.origin(), "check: " + key + " must be a whole number, not " + v.render()));
    return fallback;
  }

  private static Duration duration(Config check, String key, Duration fallback, List<ConfigError> errors) {
    if (!check.hasPath(key)) {
      return fallback;
    }
    try {
      return Durations.read(check.getValue(key), key, "check: ");
    } catch (ConfigError e) {
      errors.add(e);
      return fallback;
    }
  }

  private static List<String> command(Config check, List<ConfigError> errors) {
    if (!check.hasPath("command")) {
      return List.of();
    }
    ConfigValue v = check.getValue("command");
    if (v instanceof ConfigList list && list.stream().allMatch(i -> i.valueType() == ConfigValueType.STRING)) {
      List<String> command = list.stream().map(i -> (String) i.unwrapped()).toList();
      // Arguments reach logs and /status: a newline there would forge a line.
      if (command.stream().anyMatch(a -> a.chars().anyMatch(Character::isISOControl))) {
        errors.add(error(v.origin(), "check: command must not contain control characters"));
      }
      return command;
    }
    errors.add(error(v.origin(), "check: command must be a list of strings such as [\"redis-ping\", \"role=master\"]"));
    return List.of();
  }

  private static StatusCodes parseExpect(Config check, List<ConfigError> errors) {
    ConfigValue value = check.getValue("expect");
    List<ConfigValue> items = value.valueType() == ConfigValueType.LIST
        ? check.getList("expect") : List.of(value);
    if (items.isEmpty()) {
      errors.add(error(value.origin(), "expect: must list at least one status code or range"));
      return StatusCodes.DEFAULT;
    }
    List<StatusCodes.Range> ranges = new ArrayList<>();
    for (ConfigValue item : items) {
      if (item.valueType() != ConfigValueType.NUMBER && item.valueType() != ConfigValueType.STRING) {
        errors.add(error(item.origin(), "expect: elements must be status codes or strings like \"300-399\""));
        continue;
      }
      try {
        ranges.add(StatusCodes.parseRange(String.valueOf(item.unwrapped())));
      } catch (IllegalArgumentException e) {
        errors.add(error(item.origin(), e.getMessage()));
      }
    }
    return ranges.isEmpty() ? StatusCodes.DEFAULT : new StatusCodes(ranges);
  }

  private static void validateCommand(Config check, List<String> command, Path probesDir,
      List<ConfigError> errors) {
    if (command.isEmpty()) {
      if (!check.hasPath("command") || check.getValue("command").valueType() == ConfigValueType.LIST) {
        errors.add(error(check.hasPath("command") ? check.getValue("command").origin() : check.origin(),
            "check: type exec needs command = [\"probe-name\", args…]"));
      }
      return;
    }
    String name = command.get(0);
    if (!PROBE_NAME.matcher(name).matches()) {
      errors.add(error(check, "command", "check: command \"" + name
          + "\" must be a file name inside the probes directory (no /, no ..)"));
      return;
    }
    if (probesDir == null) {
      return;
    }
    Path probe = probesDir.resolve(name);
    if (!Files.isRegularFile(probe) || !Files.isExecutable(probe)) {
      errors.add(error(check, "command", "check: no executable probe \"" + name + "\" in " + probesDir));
    }
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

  private static ConfigError error(Config check, String key, String problem) {
    return error(check.getValue(key).origin(), problem);
  }

  static ConfigError error(ConfigOrigin origin, String problem) {
    return ConfigError.at(origin, problem);
  }
}
