package io.dnslb.health.check;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.dnslb.config.ConfigError;
import io.dnslb.config.Durations;
import java.time.Duration;
import java.util.List;

/**
 * Typed reads of a check block's keys, in the words of our messages ({@code check: KEY must be
 * …}); a wrong type is recorded and the fallback used. Shared by the common keys and each type's.
 */
public final class CheckValues {
  private CheckValues() {}

  public static String string(Config check, String key, String fallback,
      List<ConfigError> errors) {
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

  public static int integer(Config check, String key, int fallback, List<ConfigError> errors) {
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

  public static boolean bool(Config check, String key, boolean fallback,
      List<ConfigError> errors) {
    if (!check.hasPath(key)) {
      return fallback;
    }
    ConfigValue v = check.getValue(key);
    if (v.valueType() == ConfigValueType.BOOLEAN) {
      return (Boolean) v.unwrapped();
    }
    errors.add(error(v.origin(), "check: " + key + " must be true or false, not " + v.render()));
    return fallback;
  }

  public static Duration duration(Config check, String key, Duration fallback,
      List<ConfigError> errors) {
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

  public static ConfigError error(Config check, String key, String problem) {
    return error(check.getValue(key).origin(), problem);
  }

  public static ConfigError error(ConfigOrigin origin, String problem) {
    return ConfigError.at(origin, problem);
  }
}
