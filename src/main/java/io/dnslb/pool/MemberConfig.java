package io.dnslb.pool;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import io.dnslb.config.Addresses;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * One member of a pool as configured: an address, or another pool ({@code { pool = "eu-web" }}).
 *
 * @param index position in the pool's member list; the index {@link PoolRuntime#health} takes
 * @param address the member's address; null for a pool member
 * @param pool the id of the child pool for a pool member; null for an address member
 * @param check the pool's {@code check} block with this member's {@code check} override on top,
 *     unparsed: the health package turns it into a probe. Empty when neither is configured, and
 *     always for a pool member (its health is its child pool's).
 * @param line where the member is defined, for messages
 * @param key identity across reloads (see {@link #keyOf}); computed once here, since the prober,
 *     the health table and the refresher look members up by it many times a second
 */
public record MemberConfig(
    String poolId,
    int index,
    InetAddress address,
    String pool,
    int weight,
    int priority,
    Admin admin,
    Config check,
    String file,
    int line,
    String key) {

  /** A member whose key is derived from the rest, as {@link #keyOf} says. */
  public MemberConfig(String poolId, int index, InetAddress address, String pool, int weight,
      int priority, Admin admin, Config check, String file, int line) {
    this(poolId, index, address, pool, weight, priority, admin, check, file, line,
        keyOf(poolId, pool, address, check));
  }

  public boolean isPool() {
    return pool != null;
  }

  public boolean isIpv6() {
    return address instanceof Inet6Address;
  }

  /** What the member is, for status and messages: the address, or {@code pool:ID}. */
  public String label() {
    return label(pool, address);
  }

  private static String label(String pool, InetAddress address) {
    return pool != null ? "pool:" + pool : Addresses.format(address);
  }

  /**
   * Identity across reloads: same pool, same address, same effective check means the health
   * the old server learned still applies. The check is rendered with sorted keys, so key order
   * and comments in the file do not matter.
   */
  public static String keyOf(String poolId, String pool, InetAddress address, Config check) {
    return poolId + "|" + label(pool, address) + "|" + check.root().render(ConfigRenderOptions.concise());
  }
}
