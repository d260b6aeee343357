package io.dnslb.cli;

import io.dnslb.config.ConfigError;
import io.dnslb.config.Settings;
import java.nio.file.Path;
import java.util.Map;

/** The flags {@code serve} and {@code check} share, {@code --config} and {@code --zones}. */
final class ConfigFlags {
  private ConfigFlags() {}

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
