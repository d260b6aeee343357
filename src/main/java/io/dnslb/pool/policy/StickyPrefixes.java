package io.dnslb.pool.policy;

/**
 * How much of a client address a sticky pool keys on: clients in the same /ipv4 or /ipv6 subnet
 * get the same member. Also the ECS scope of sticky answers.
 */
public record StickyPrefixes(int ipv4, int ipv6) {
  /** /24 and /56: a typical customer allocation each, and what resolvers send in ECS. */
  public static final StickyPrefixes DEFAULT = new StickyPrefixes(24, 56);

  public int forFamily(int family) {
    return family == 1 ? ipv4 : ipv6;
  }
}
