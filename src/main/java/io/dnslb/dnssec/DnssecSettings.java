package io.dnslb.dnssec;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import io.dnslb.config.ConfigError;
import io.dnslb.config.StrictKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A zone's signing settings, read from {@code <zone file base>.dnssec.conf} beside the zone file
 * (the pools file's convention): the zone is signed exactly when that file exists.
 *
 * <pre>
 * dnssec {
 *   keys = "keys/"                 # K&lt;zone&gt;+&lt;alg&gt;+&lt;tag&gt;.key/.private: relative to this file, or absolute
 *   algorithm = ecdsap256sha256    # or ed25519: what `keygen` makes; keys of either are used
 *   signature-lifetime = 14d
 *   refresh = 7d                   # re-sign when a signature has less than this left
 *   dnskey-ttl = 1h
 *   signature-cache = 100000       # on-the-fly signatures (pooled sets, denials) kept per zone
 * }
 * </pre>
 *
 * <p>{@code keys} is not confined to the zones directory, as BIND's key-directory and Knot's
 * keystore are not: a relative path resolves against the zones directory (where this file
 * is), an absolute one is used as it is. {@link KeyFiles} reads only the zone's key files there
 * and refuses a key file that links out of it.
 *
 * @param conf the settings file, for error messages
 * @param keysLine the line of {@code keys} in it (1 when defaulted)
 */
public record DnssecSettings(Path conf, int keysLine, Path keys, int algorithm,
    Duration signatureLifetime, Duration refresh, Duration dnskeyTtl, long signatureCache) {
  public static final String SUFFIX = ".dnssec.conf";
  private static final Set<String> FILE_KEYS = Set.of("dnssec");
  private static final Set<String> KEYS = Set.of("keys", "algorithm", "signature-lifetime",
      "refresh", "dnskey-ttl", "signature-cache");

  /** The defaults, for a zone whose keys live in {@code keys}. */
  public static DnssecSettings defaults(Path conf, Path keys) {
    return new DnssecSettings(conf, 1, keys, Algorithms.ECDSAP256SHA256, Duration.ofDays(14),
        Duration.ofDays(7), Duration.ofHours(1), 100_000);
  }

  public static DnssecSettings load(Path conf, Path zonesDir) throws ConfigError {
    Config root;
    try {
      root = ConfigFactory.parseFile(conf.toFile(), ConfigParseOptions.defaults()
          .setSyntax(ConfigSyntax.CONF).setAllowMissing(false)).resolve();
    } catch (ConfigException e) {
      int line = e.origin() == null ? 0 : Math.max(0, e.origin().lineNumber());
      throw new ConfigError(conf.toString(), line, e.getMessage().replaceFirst("^.*?: \\d+: ", ""));
    }
    List<ConfigError> errors = new ArrayList<>();
    StrictKeys.check(root.root(), FILE_KEYS, "dnssec file", errors);
    ConfigValue block = root.root().get("dnssec");
    if (!errors.isEmpty()) {
      throw errors.get(0);
    }
    if (!(block instanceof ConfigObject obj)) {
      throw new ConfigError(conf.toString(), block == null ? 1 : block.origin().lineNumber(),
          "expected a block: dnssec { keys = \"keys/\" }");
    }
    StrictKeys.check(obj, KEYS, "dnssec", errors);
    if (!errors.isEmpty()) {
      throw errors.get(0);
    }
    Config c = obj.toConfig();
    DnssecSettings d = defaults(conf, zonesDir.resolve("keys"));
    try {
      Path keys = c.hasPath("keys") ? zonesDir.resolve(c.getString("keys")) : d.keys();
      int keysLine = c.hasPath("keys") ? c.getValue("keys").origin().lineNumber() : 1;
      int alg = d.algorithm();
      if (c.hasPath("algorithm")) {
        alg = Algorithms.parse(c.getString("algorithm"));
        if (alg < 0) {
          throw ConfigError.at(c.getValue("algorithm").origin(), "unknown algorithm '"
              + c.getString("algorithm") + "' (known: " + Algorithms.NAMES + ")");
        }
      }
      Duration lifetime = c.hasPath("signature-lifetime")
          ? c.getDuration("signature-lifetime") : d.signatureLifetime();
      Duration refresh = c.hasPath("refresh") ? c.getDuration("refresh") : d.refresh();
      Duration ttl = c.hasPath("dnskey-ttl") ? c.getDuration("dnskey-ttl") : d.dnskeyTtl();
      long cache = c.hasPath("signature-cache") ? c.getLong("signature-cache") : d.signatureCache();
      if (lifetime.toHours() < 2) {
        throw ConfigError.at(origin(c, "signature-lifetime"), "signature-lifetime must be at least 2h");
      }
      if (refresh.isNegative() || refresh.compareTo(lifetime) >= 0 || refresh.toHours() < 1) {
        throw ConfigError.at(origin(c, "refresh"),
            "refresh must be at least 1h and below signature-lifetime (" + lifetime + ")");
      }
      if (cache < 1) {
        throw ConfigError.at(origin(c, "signature-cache"), "signature-cache must be at least 1");
      }
      return new DnssecSettings(conf, keysLine, keys, alg, lifetime, refresh, ttl, cache);
    } catch (ConfigException e) {
      int line = e.origin() == null ? 0 : Math.max(0, e.origin().lineNumber());
      throw new ConfigError(conf.toString(), line, e.getMessage().replaceFirst("^.*?: \\d+: ", ""));
    }
  }

  private static com.typesafe.config.ConfigOrigin origin(Config c, String key) {
    return c.hasPath(key) ? c.getValue(key).origin() : c.origin();
  }
}
