package io.dnslb.pool;

import java.time.Duration;

/**
 * Every pool default and limit, in one place: the value a pool gets for each key its file leaves
 * out. (Kept in code rather than reference.conf because pool files are separate HOCON documents,
 * not part of the server config.) A policy's own options and their defaults are in its file
 * ({@code pool/policy}), as is how many addresses its answers carry by default.
 */
final class PoolDefaults {
  /** Short enough that clients follow a health change within half a minute. */
  static final Duration TTL = Duration.ofSeconds(30);
  /**
   * With ttl = auto: none. Resolvers count TTLs in whole seconds on a whole-second clock (Unbound,
   * BIND), so a 1 s record can live almost 2 s: a floor of 1 s would keep a member that may
   * change within the second cached past its change + 1 s. TTL 0 is not cached (Unbound
   * drops such messages from its cache), which is exactly right for such an answer.
   */
  static final Duration TTL_MIN = Duration.ZERO;
  /** Slow start ramps from this share of the weight (10%) to all of it, linearly. */
  static final double SLOW_START_FROM = 0.1;
  /** A broken health check must not take a service out of the DNS (gdnsd's choice too). */
  static final boolean FAIL_OPEN = true;
  static final int WEIGHT = 1;
  static final int PRIORITY = 1;

  /** Route 53's rule too: an admin change may not take the last serving member out. */
  static final int MIN_SERVING = 1;

  static final int MAX_WEIGHT = 1000;
  /** Only bounds min-serving; pools are not limited in size. */
  static final int MAX_MEMBERS = 1_000_000;
  /** 16 AAAA records still fit a 512-byte UDP answer, so a pool never forces truncation. */
  static final int MAX_ANSWERS = 16;

  private PoolDefaults() {}
}
