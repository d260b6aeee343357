package io.dnslb.pool.policy;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import io.dnslb.config.ConfigError;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a policy reads its options from, for one pool of a pool file: its own block (named after
 * the policy) and what the pool file already settled.
 *
 * @param pool the pool id
 * @param config the pool's whole block, for the origin of errors about it
 * @param failOpen the pool's {@code when-all-down}
 * @param poolMembers the member index of each member that is a pool, by pool id; null when the
 *     members had errors (the pool is left out anyway; a policy reading members may stop)
 * @param zonesDir the zones directory, the only place files named by options may be
 * @param errors where every problem goes, with FILE:LINE
 */
public record PolicyOptions(String pool, ConfigObject config, boolean failOpen,
    Map<String, Integer> poolMembers, Path zonesDir, List<ConfigError> errors) {

  /** How errors name the pool: {@code pool ID}. */
  public String where() {
    return "pool " + pool;
  }

  /** The policy's own block ({@code name { … }}), or null when the pool has none. */
  public ConfigValue block(PolicyType type) {
    return config.get(type.name());
  }
}
