package io.dnslb.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.util.List;

/** Whole-number keys of a config block, read with a FILE:LINE error instead of an exception. */
public final class Integers {
  private Integers() {}

  /**
   * The whole number at {@code key} within [min, max], or the fallback when absent or bad (then
   * an error is recorded).
   *
   * @param where how the message names the block, e.g. {@code "pool web"}
   */
  public static int read(ConfigObject block, String key, int fallback, int min, int max,
      String where, List<ConfigError> errors) {
    ConfigValue value = block.get(key);
    if (value == null) {
      return fallback;
    }
    if (value.unwrapped() instanceof Integer n && n >= min && n <= max) {
      return n;
    }
    String range = max == Integer.MAX_VALUE ? ">= " + min : min + ".." + max;
    errors.add(ConfigError.at(value.origin(), where + ": " + key + " must be a whole number "
        + range + ", not " + value.render()));
    return fallback;
  }
}
