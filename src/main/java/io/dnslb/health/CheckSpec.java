package io.dnslb.health;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.dnslb.config.ConfigError;
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
   * @throws ConfigError at the FILE:LINE of the offending key (or of the block)
   */
  public static CheckSpec parse(Config check, Path probesDir) throws ConfigError {
    for (String key : check.root().keySet()) {
      if (!KEYS.contains(key)) {
        throw error(check.root().get(key).origin(), "check: unknown key \"" + key + "\" (known: "
            + String.join(", ", KEYS.stream().sorted().toList()) + ")");
      }
    }
    try {
      String typeName = check.hasPath("type") ? check.getString("type") : "tcp";
      CheckType type = CheckType.byConfigName(typeName).orElseThrow(() -> error(check, "type",
          "check: unknown type \"" + typeName + "\" (known: tcp, http, https, exec, none)"));
      int port = 0;
      if (check.hasPath("port")) {
        port = check.getInt("port");
        if (port < 1 || port > 65535) {
          throw error(check, "port", "check: port " + port + " is not in 1-65535");
        }
      } else if (type.needsPort()) {
        throw error(check.origin(), "check: type " + type.configName() + " needs a port");
      }
      String path = check.hasPath("path") ? check.getString("path") : "/";
      if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
        throw error(check, "path", "check: path must start with / and contain no spaces or control characters");
      }
      String host = check.hasPath("host") ? check.getString("host") : null;
      if (host != null && (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == 0x7f))) {
        throw error(check, "host", "check: host must be a non-empty name without spaces");
      }
      StatusCodes expect = check.hasPath("expect") ? parseExpect(check) : StatusCodes.DEFAULT;
      boolean tlsVerify = !check.hasPath("tls-verify") || check.getBoolean("tls-verify");
      List<String> command = check.hasPath("command") ? check.getStringList("command") : List.of();
      if (type == CheckType.EXEC) {
        validateCommand(check, command, probesDir);
      } else if (!command.isEmpty()) {
        throw error(check, "command", "check: command is only for type exec");
      }
      String address = check.hasPath("address") ? check.getString("address") : null;
      if (address != null && !isIpLiteral(address)) {
        throw error(check, "address", "check: address \"" + address + "\" is not an IPv4 or IPv6 address");
      }
      Duration interval = check.hasPath("interval") ? check.getDuration("interval") : Duration.ofSeconds(5);
      Duration timeout = check.hasPath("timeout") ? check.getDuration("timeout") : Duration.ofSeconds(2);
      if (interval.toMillis() < 100) {
        throw error(check, "interval", "check: interval must be at least 100ms");
      }
      if (timeout.toMillis() < 1) {
        throw error(check, "timeout", "check: timeout must be at least 1ms");
      }
      if (timeout.compareTo(interval) >= 0) {
        throw error(check, check.hasPath("timeout") ? "timeout" : "interval",
            "check: timeout " + timeout.toMillis() + "ms must be less than interval " + interval.toMillis() + "ms");
      }
      int rise = check.hasPath("rise") ? check.getInt("rise") : 2;
      int fall = check.hasPath("fall") ? check.getInt("fall") : 3;
      if (rise < 1 || rise > 100) {
        throw error(check, "rise", "check: rise must be 1-100");
      }
      if (fall < 1 || fall > 100) {
        throw error(check, "fall", "check: fall must be 1-100");
      }
      boolean socket = type == CheckType.TCP || type == CheckType.HTTP || type == CheckType.HTTPS;
      boolean fastFail = socket;
      if (check.hasPath("fast-fail")) {
        fastFail = check.getBoolean("fast-fail");
        if (fastFail && !socket) {
          throw error(check, "fast-fail", "check: fast-fail is only for tcp, http and https checks");
        }
      }
      LoadSpec load = null;
      if (check.hasPath("load")) {
        if (type != CheckType.HTTP && type != CheckType.HTTPS) {
          throw error(check, "load", "check: load is only for http and https checks");
        }
        load = parseLoad(check.getConfig("load"), check.getValue("load").origin());
      }
      return new CheckSpec(type, port, path, host, expect, tlsVerify, command, address, interval,
          timeout, rise, fall, fastFail, load);
    } catch (ConfigException e) {
      // wrong value types: Typesafe's message already names the key and expected type
      ConfigOrigin origin = e.origin() != null ? e.origin() : check.origin();
      throw error(origin, "check: " + stripOrigin(e.getMessage()));
    }
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
    if (json != null && (json.isEmpty() || json.indexOf('"') >= 0 || json.indexOf('\\') >= 0)) {
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

  private static StatusCodes parseExpect(Config check) throws ConfigError {
    ConfigValue value = check.getValue("expect");
    List<ConfigValue> items = value.valueType() == ConfigValueType.LIST
        ? check.getList("expect") : List.of(value);
    if (items.isEmpty()) {
      throw error(value.origin(), "expect: must list at least one status code or range");
    }
    List<StatusCodes.Range> ranges = new ArrayList<>();
    for (ConfigValue item : items) {
      if (item.valueType() != ConfigValueType.NUMBER && item.valueType() != ConfigValueType.STRING) {
        throw error(item.origin(), "expect: elements must be status codes or strings like \"300-399\"");
      }
      try {
        ranges.add(StatusCodes.parseRange(String.valueOf(item.unwrapped())));
      } catch (IllegalArgumentException e) {
        throw error(item.origin(), e.getMessage());
      }
    }
    return new StatusCodes(ranges);
  }

  private static void validateCommand(Config check, List<String> command, Path probesDir) throws ConfigError {
    if (command.isEmpty()) {
      throw error(check.hasPath("command") ? check.getValue("command").origin() : check.origin(),
          "check: type exec needs command = [\"probe-name\", args…]");
    }
    String name = command.get(0);
    if (!PROBE_NAME.matcher(name).matches()) {
      throw error(check, "command", "check: command \"" + name
          + "\" must be a file name inside the probes directory (no /, no ..)");
    }
    Path probe = probesDir.resolve(name);
    if (!Files.isRegularFile(probe) || !Files.isExecutable(probe)) {
      throw error(check, "command", "check: no executable probe \"" + name + "\" in " + probesDir);
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

  private static String stripOrigin(String message) {
    // Typesafe prefixes "file: 3: "; we print our own FILE:LINE
    int i = message.indexOf(": ");
    int j = i < 0 ? -1 : message.indexOf(": ", i + 2);
    return j > 0 && message.substring(i + 2, j).chars().allMatch(Character::isDigit)
        ? message.substring(j + 2) : message;
  }

  private static ConfigError error(Config check, String key, String problem) {
    return error(check.getValue(key).origin(), problem);
  }

  static ConfigError error(ConfigOrigin origin, String problem) {
    return ConfigError.at(origin, problem);
  }
}
