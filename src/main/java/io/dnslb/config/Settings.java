package io.dnslb.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The server's settings, read once from Typesafe Config's usual layers: command-line flags over
 * {@code -Ddnslb.*} system properties over {@code --config FILE} over {@code reference.conf}.
 * Every key must exist in reference.conf: a typo is an error with FILE:LINE, not a silent default.
 */
public record Settings(
    Path zones,
    List<InetSocketAddress> dnsListen,
    int eventLoops,
    int udpPayload,
    int maxCnameChain,
    Duration tcpIdleTimeout,
    int tcpMaxConnections,
    String chaosVersion,
    String chaosHostname,
    String chaosId,
    InetSocketAddress httpListen,
    boolean reloadWatch,
    Duration reloadDebounce,
    String logFormat,
    boolean queryLog,
    Path probesDir,
    int tcpMaxConnectionsPerClient,
    Duration tcpReadTimeout,
    RrlConfig rrl,
    Path stateFile,
    Path adminTokenFile,
    boolean adminProtectReads,
    List<String> clusterEtcd,
    String clusterPrefix,
    String clusterName,
    String downQuorum,
    String udpTransport,
    int udpBatch,
    String probePriority) {

  /** True when the servers of a fleet share state through etcd. */
  public boolean clustered() {
    return !clusterEtcd.isEmpty();
  }

  /**
   * Loads settings.
   *
   * @param configFile an operator's HOCON file, or null
   * @param flags command-line overrides as config paths below "dnslb" (e.g. "zones")
   */
  public static Settings load(Path configFile, Map<String, Object> flags) throws ConfigError {
    // Not defaultReference(): that one has the -D system properties merged in already, so a
    // -Ddnslb.… typo would look like a known key and be ignored.
    Config reference = ConfigFactory.defaultReferenceUnresolved().resolve();
    Config file = ConfigFactory.empty();
    if (configFile != null) {
      try {
        file = ConfigFactory.parseFile(configFile.toFile(),
            ConfigParseOptions.defaults().setAllowMissing(false));
      } catch (ConfigException e) {
        throw error(e, configFile.toString());
      }
    }
    Config cli = ConfigFactory.parseMap(prefixed(flags), "command line");
    Config merged = cli.withFallback(ConfigFactory.systemProperties())
        .withFallback(file).withFallback(reference).resolve();
    rejectUnknown(cli.withFallback(file).withFallback(systemDnslb()), reference);
    Config dnslb = merged.getConfig("dnslb");
    checkTypes(dnslb, reference.getConfig("dnslb"));
    try {
      return from(dnslb);
    } catch (ConfigException e) {
      throw error(e, "config");
    } catch (IllegalArgumentException e) {
      throw placed(dnslb, e.getMessage());
    }
  }

  /**
   * A range error ("dnslb.dns.udp-payload must be in 512..65535") at the FILE:LINE (or "system
   * properties", "command line") where the offending value was set.
   */
  private static ConfigError placed(Config dnslb, String message) {
    String key = message.split(" ", 2)[0].replaceFirst(":$", "");
    String path = key.startsWith("dnslb.") ? key.substring("dnslb.".length()) : key;
    if (dnslb.hasPath(path)) {
      return ConfigError.at(dnslb.getValue(path).origin(), message);
    }
    return new ConfigError("config", 0, message);
  }

  /**
   * Every value has the type of its default, in our words (Typesafe's would be "has type STRING
   * rather than NUMBER"); durations need a unit (a bare number would be milliseconds).
   */
  private static void checkTypes(Config given, Config reference) throws ConfigError {
    for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
      String path = e.getKey();
      if (!given.hasPath(path)) {
        continue;
      }
      ConfigValue value = given.getValue(path);
      ConfigValueType want = e.getValue().valueType();
      Object raw = value.unwrapped();
      String key = "dnslb." + path;
      if (want == ConfigValueType.STRING && isDuration(e.getValue())) {
        Durations.read(value, key, "");
      } else if (want == ConfigValueType.NUMBER && !isNumber(value)) {
        throw ConfigError.at(value.origin(), key + " must be a number, not " + value.render());
      } else if (want == ConfigValueType.BOOLEAN && !(raw instanceof Boolean)
          && !"true".equals(raw) && !"false".equals(raw)) {
        throw ConfigError.at(value.origin(), key + " must be true or false, not " + value.render());
      } else if (want == ConfigValueType.LIST && value.valueType() != ConfigValueType.LIST
          && value.valueType() != ConfigValueType.STRING) {
        throw ConfigError.at(value.origin(), key + " must be a list such as [\"127.0.0.1:5300\"], not "
            + value.render());
      }
    }
  }

  private static boolean isDuration(ConfigValue reference) {
    return String.valueOf(reference.unwrapped()).matches("[0-9]+(ms|s|m|h|d)");
  }

  private static boolean isNumber(ConfigValue value) {
    if (value.valueType() == ConfigValueType.NUMBER) {
      return true;
    }
    // -Ddnslb.x=5 arrives as the string "5"; Typesafe converts it.
    return value.valueType() == ConfigValueType.STRING
        && String.valueOf(value.unwrapped()).trim().matches("-?[0-9]+");
  }

  private static Map<String, Object> prefixed(Map<String, Object> flags) {
    Map<String, Object> out = new java.util.HashMap<>();
    flags.forEach((k, v) -> out.put("dnslb." + k, v));
    return out;
  }

  private static Config systemDnslb() {
    Config sys = ConfigFactory.systemProperties();
    return sys.hasPath("dnslb") ? sys.withOnlyPath("dnslb") : ConfigFactory.empty();
  }

  private static void rejectUnknown(Config given, Config reference) throws ConfigError {
    if (!given.hasPath("dnslb")) {
      return;
    }
    for (Map.Entry<String, ConfigValue> e : given.getConfig("dnslb").entrySet()) {
      String path = "dnslb." + e.getKey();
      if (!reference.hasPathOrNull(path)) {
        throw ConfigError.at(e.getValue().origin(), "unknown setting '" + path + "'");
      }
    }
  }

  private static ConfigError error(ConfigException e, String fallbackFile) {
    ConfigOrigin o = e.origin();
    String file = o != null && o.filename() != null ? o.filename() : fallbackFile;
    int line = o != null ? Math.max(o.lineNumber(), 0) : 0;
    String msg = e.getMessage();
    int cut = msg.indexOf(": ");
    if (o != null && cut >= 0 && msg.startsWith(o.description())) {
      msg = msg.substring(cut + 2);
    }
    return new ConfigError(file, line, msg);
  }

  private static Settings from(Config c) {
    List<InetSocketAddress> dns = new ArrayList<>();
    // -Ddnslb.dns.listen=A,B arrives as one string
    List<String> listen = c.getValue("dns.listen").valueType() == ConfigValueType.STRING
        ? List.of(c.getString("dns.listen").trim().split("\\s*,\\s*")) : c.getStringList("dns.listen");
    for (String s : listen) {
      try {
        dns.add(HostPort.parse(s));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("dnslb.dns.listen: " + e.getMessage());
      }
    }
    if (dns.isEmpty()) {
      throw new IllegalArgumentException("dnslb.dns.listen is empty: nothing to serve on");
    }
    String http = c.getString("http.listen");
    InetSocketAddress httpAddress;
    try {
      httpAddress = "off".equals(http) ? null : HostPort.parse(http);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("dnslb.http.listen: " + e.getMessage());
    }
    int loops = c.getInt("dns.event-loops");
    if (loops < 0) {
      throw new IllegalArgumentException("dnslb.dns.event-loops must be >= 0");
    }
    int payload = c.getInt("dns.udp-payload");
    if (payload < 512 || payload > 65535) {
      throw new IllegalArgumentException("dnslb.dns.udp-payload must be in 512..65535");
    }
    int maxConn = c.getInt("dns.tcp.max-connections");
    if (maxConn < 1) {
      throw new IllegalArgumentException("dnslb.dns.tcp.max-connections must be >= 1");
    }
    if (httpAddress != null && !httpAddress.getAddress().isLoopbackAddress()
        && c.getString("admin.token-file").isEmpty()) {
      throw new IllegalArgumentException("dnslb.http.listen is " + http + ", which is not "
          + "loopback, so dnslb.admin.token-file must be set: without it anyone who can reach "
          + "the port could drain your backends");
    }
    return new Settings(
        new File(c.getString("zones")).toPath(),
        List.copyOf(dns),
        loops == 0 ? Runtime.getRuntime().availableProcessors() : loops,
        payload,
        c.getInt("dns.max-cname-chain"),
        c.getDuration("dns.tcp.idle-timeout"),
        maxConn,
        c.getString("chaos.version-bind"),
        c.getString("chaos.hostname-bind"),
        c.getString("chaos.id-server"),
        httpAddress,
        c.getBoolean("reload.watch"),
        c.getDuration("reload.debounce"),
        logFormat(c.getString("log.format")),
        c.getBoolean("log.queries"),
        new File(c.getString("health.probes-dir")).toPath(),
        positive(c, "dns.tcp.max-connections-per-client"),
        c.getDuration("dns.tcp.read-timeout"),
        rrl(c.getConfig("rrl")),
        stateFile(c),
        c.getString("admin.token-file").isEmpty() ? null
            : new File(c.getString("admin.token-file")).toPath(),
        c.getBoolean("admin.protect-reads"),
        etcd(c.getStringList("cluster.etcd")),
        prefix(c.getString("cluster.prefix")),
        c.getString("cluster.name").isEmpty() ? hostName() : c.getString("cluster.name"),
        downQuorum(c.getString("cluster.down-quorum")),
        udpTransport(c.getString("dns.udp-transport")),
        inRange(c, "dns.udp-batch", 1, 64),
        oneOf(c, "health.probe-priority", "idle", "low", "normal"));
  }

  private static String oneOf(Config c, String key, String... allowed) {
    String v = c.getString(key);
    if (!List.of(allowed).contains(v)) {
      throw new IllegalArgumentException("dnslb." + key + " must be one of "
          + String.join(", ", allowed) + ", not \"" + v + "\"");
    }
    return v;
  }

  private static int inRange(Config c, String key, int min, int max) {
    int v = c.getInt(key);
    if (v < min || v > max) {
      throw new IllegalArgumentException("dnslb." + key + " must be in " + min + ".." + max
          + ", not " + v);
    }
    return v;
  }

  private static String udpTransport(String value) {
    if (!value.equals("auto") && !value.equals("netty") && !value.equals("native")) {
      throw new IllegalArgumentException("dnslb.dns.udp-transport must be auto, netty or native, "
          + "not \"" + value + "\"");
    }
    return value;
  }

  /** Beside the zones directory by default, so it is kept with them but not inside them. */
  private static Path stateFile(Config c) {
    String given = c.getString("state-file");
    if (!given.isEmpty()) {
      return new File(given).toPath();
    }
    Path zones = new File(c.getString("zones")).toPath().toAbsolutePath().normalize();
    Path parent = zones.getParent() == null ? zones : zones.getParent();
    return parent.resolve("dnslb-state.json");
  }

  private static List<String> etcd(List<String> urls) {
    for (String u : urls) {
      if (!u.matches("https?://[^/\\s]+/?")) {
        throw new IllegalArgumentException("dnslb.cluster.etcd: '" + u
            + "' is not an etcd client URL such as http://127.0.0.1:2379");
      }
    }
    return List.copyOf(urls);
  }

  private static String prefix(String p) {
    if (!p.startsWith("/") || p.endsWith("/") || p.contains("//")) {
      throw new IllegalArgumentException("dnslb.cluster.prefix must start with / and not end "
          + "with one, like /dnslb, not '" + p + "'");
    }
    return p;
  }

  private static String downQuorum(String q) {
    if (q.equals("majority") || q.equals("any") || q.equals("all") || q.matches("[1-9][0-9]{0,3}")) {
      return q;
    }
    throw new IllegalArgumentException("dnslb.cluster.down-quorum must be majority, any, all or "
        + "a number >= 1, not '" + q + "'");
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      String env = System.getenv("HOSTNAME");
      return env == null || env.isEmpty() ? "dnslb" : env;
    }
  }

  private static String logFormat(String format) {
    if (!format.equals("text") && !format.equals("json")) {
      throw new IllegalArgumentException("dnslb.log.format must be text or json, not '" + format
          + "'");
    }
    return format;
  }

  private static int positive(Config c, String path) {
    int v = c.getInt(path);
    if (v < 1) {
      throw new IllegalArgumentException("dnslb." + path + " must be >= 1");
    }
    return v;
  }

  private static RrlConfig rrl(Config c) {
    return new RrlConfig(c.getBoolean("enabled"), c.getInt("responses-per-second"),
        c.getDuration("window"), c.getInt("slip"), c.getInt("ipv4-prefix"),
        c.getInt("ipv6-prefix"), c.getLong("max-tracked"));
  }
}
