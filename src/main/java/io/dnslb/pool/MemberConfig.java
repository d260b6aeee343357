package io.dnslb.pool;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * One member of a pool as configured.
 *
 * @param index position in the pool's member list; the index {@link PoolRuntime#health} takes
 * @param check the pool's {@code check} block with this member's {@code check} override on top,
 *     unparsed: the health package turns it into a probe. Empty when neither is configured.
 * @param line where the member is defined, for messages
 */
public record MemberConfig(
    String poolId,
    int index,
    InetAddress address,
    int weight,
    int priority,
    Admin admin,
    Config check,
    String file,
    int line) {

  public boolean isIpv6() {
    return address instanceof Inet6Address;
  }

  /**
   * Identity across reloads: same pool, same address, same effective check means the health
   * the old server learned still applies. The check is rendered with sorted keys, so key order
   * and comments in the file do not matter.
   */
  public String key() {
    return poolId + "|" + address.getHostAddress() + "|"
        + check.root().render(ConfigRenderOptions.concise());
  }
}
