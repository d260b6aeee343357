package io.dnslb.pool;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.dnslb.config.ConfigError;
import io.dnslb.config.StrictKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a {@code check} block only as far as the pool loader can: known keys and plausible
 * value types. What a check means is the health package's business; it parses the merged block.
 */
final class CheckBlock {
  private static final Set<String> KEYS = Set.of("type", "port", "path", "host", "expect", "tls-verify",
      "command", "address", "interval", "timeout", "rise", "fall");

  private CheckBlock() {}

  static void validate(ConfigObject block, String where, List<ConfigError> errors) {
    StrictKeys.check(block, KEYS, where, errors);
    for (Map.Entry<String, ConfigValue> e : block.entrySet()) {
      String problem = problem(e.getKey(), e.getValue());
      if (problem != null) {
        errors.add(ConfigError.at(e.getValue().origin(),
            where + ": " + e.getKey() + " " + problem));
      }
    }
  }

  /** Values reach logs, /status and probe requests: a newline would forge a line there. */
  private static boolean hasControl(Object raw) {
    return String.valueOf(raw).chars().anyMatch(Character::isISOControl);
  }

  /** What is wrong with the value of a known key, or null. */
  private static String problem(String key, ConfigValue value) {
    ConfigValueType type = value.valueType();
    Object raw = value.unwrapped();
    switch (key) {
      case "type", "path", "host", "address":
        return type != ConfigValueType.STRING ? "must be a string"
            : hasControl(raw) ? "must not contain control characters" : null;
      case "expect":
        return type == ConfigValueType.STRING || type == ConfigValueType.NUMBER
            ? null : "must be a string or a number";
      case "command":
        return type != ConfigValueType.STRING && type != ConfigValueType.LIST
            ? "must be a string or a list of strings"
            : hasControl(raw) ? "must not contain control characters" : null;
      case "tls-verify":
        return type == ConfigValueType.BOOLEAN ? null : "must be true or false";
      case "port":
        return raw instanceof Integer p && p >= 1 && p <= 65535
            ? null : "must be a port number 1..65535";
      case "rise", "fall":
        return raw instanceof Integer n && n >= 1 ? null : "must be a whole number >= 1";
      case "interval", "timeout":
        return isPositiveDuration(value) ? null : "must be a positive duration such as 2s";
      default:
        return null; // unknown keys are reported by StrictKeys
    }
  }

  private static boolean isPositiveDuration(ConfigValue value) {
    try {
      return value.atKey("d").getDuration("d").compareTo(Duration.ZERO) > 0;
    } catch (ConfigException e) {
      return false;
    }
  }
}
