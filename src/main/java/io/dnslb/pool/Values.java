package io.dnslb.pool;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import io.dnslb.config.ConfigError;
import java.util.List;

/** The check block of a pool or member, read with a FILE:LINE error instead of throwing. */
final class Values {
  private Values() {}

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
