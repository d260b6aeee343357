package io.dnslb.cli;

import io.dnslb.config.ConfigError;
import io.dnslb.config.Settings;
import java.nio.file.Path;
import io.dnslb.config.HostPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The flags {@code serve} and {@code check} share: {@code --config}, {@code --zones}, {@code --dns},
 * {@code --http} and {@code --debug}. {@code check} takes all of serve's flags so that a systemd
 * unit can run {@code check} with exactly the arguments of {@code serve}, and checks the listen
 * addresses too.
 */
final class ConfigFlags {
  static final Set<String> WITH_VALUE = Set.of("--config", "--zones", "--dns", "--http");
  static final Set<String> SWITCHES = Set.of("--debug");

  private ConfigFlags() {}

  /** The --dns and --http overrides (paths below "dnslb"), each address checked. */
  static Map<String, Object> listenOverrides(Flags f, String command) throws UsageError {
    Map<String, Object> overrides = new HashMap<>();
    if (f.has("--dns")) {
      List<String> dns = new ArrayList<>();
      for (String a : f.all("--dns")) {
        check(a, command);
        dns.add(a);
      }
      overrides.put("dns.listen", dns);
    }
    if (f.has("--http")) {
      String http = f.last("--http");
      if (!"off".equals(http)) {
        check(http, command);
      }
      overrides.put("http.listen", http);
    }
    return overrides;
  }

  private static void check(String address, String command) throws UsageError {
    try {
      HostPort.parse(address);
    } catch (IllegalArgumentException e) {
      throw new UsageError(command + ": " + e.getMessage());
    }
  }

  /**
   * The settings these flags select, with the command's own overrides (paths below "dnslb").
   */
  static Settings load(Flags f, Map<String, Object> overrides) throws ConfigError {
    if (f.has("--zones")) {
      overrides.put("zones", f.last("--zones"));
    }
    return Settings.load(f.has("--config") ? Path.of(f.last("--config")) : null, overrides);
  }
}
