package io.dnslb.pool;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import io.dnslb.config.ConfigError;
import java.util.List;

/** Typed reads of optional pool-file values that record a FILE:LINE error instead of throwing. */
final class Values {
  private Values() {}

  /** The whole number at {@code key} within [min, max], or the fallback when absent or bad. */
  static int integer(ConfigObject block, String key, int fallback, int min, int max,
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

  /**
   * The {@code check} block of a pool or member; empty when absent or not a block. Its keys are
   * validated once merged, by the health package's one validator (see MemberReader).
   */
  static ConfigObject check(ConfigObject owner, String where, List<ConfigError> errors) {
    ConfigValue value = owner.get("check");
    if (value == null) {
      return ConfigFactory.empty().root();
    }
    if (!(value instanceof ConfigObject block)) {
      errors.add(ConfigError.at(value.origin(), where + ": check must be a block"));
      return ConfigFactory.empty().root();
    }
    return block;
  }
}
