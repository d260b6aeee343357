package io.dnslb.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;

/**
 * Reads durations from HOCON values. A bare number is refused: Typesafe Config reads it as
 * milliseconds, so {@code ttl = 20} would silently mean 20 ms (a TTL of 0), and nobody writes
 * milliseconds on purpose without saying so. The error names the key and the units to use.
 */
public final class Durations {
  /** The units an operator may write, as in the error message. */
  public static final String UNITS = "ms, s, m, h, d";

  private Durations() {}

  /**
   * @param key the key as the operator wrote it, for the message
   * @param where prefix of the message (e.g. "pool web: "), may be empty
   * @throws ConfigError at the value's FILE:LINE
   */
  public static Duration read(ConfigValue value, String key, String where) throws ConfigError {
    String text = String.valueOf(value.unwrapped()).trim();
    if (value.valueType() == ConfigValueType.NUMBER || text.matches("[0-9]+(\\.[0-9]+)?")) {
      throw ConfigError.at(value.origin(), where + key + " = " + text
          + " has no unit: write " + text + "s (units: " + UNITS + ")");
    }
    try {
      return value.atKey("d").getDuration("d");
    } catch (ConfigException e) {
      throw ConfigError.at(value.origin(), where + key + " must be a duration such as 2s (units: "
          + UNITS + "), not " + value.render());
    }
  }
}
