package io.dnslb.wire;

/**
 * The one rule for how many address records a response may carry, used by both query paths: a
 * pool chooses its answer count without knowing the qname's length or the transport, and fewer
 * addresses are better than a truncated, empty answer that sends every client to TCP. The room
 * left for the OPT record is the exact size of the OPT that will be sent, so both paths agree to
 * the byte (a guessed, larger reserve once made the general path answer 15 AAAA where the fast
 * path answered 16).
 */
public final class Fit {
  /** Our OPT record without options: root owner (1), type, class, TTL, RDLENGTH (10). */
  public static final int OPT = 11;
  /** An ECS option without its address: code, length, family, source and scope prefix. */
  private static final int ECS_FIXED = 8;

  private Fit() {}

  /**
   * The size of the OPT record our response carries.
   *
   * @param edns whether the query had an OPT (we answer with one exactly then)
   * @param ecsSourcePrefix the query's ECS source prefix, echoed with its address cut to that
   *     many bits (RFC 7871 §6), or -1 without ECS
   */
  public static int opt(boolean edns, int ecsSourcePrefix) {
    if (!edns) {
      return 0;
    }
    return ecsSourcePrefix < 0 ? OPT : OPT + ECS_FIXED + (ecsSourcePrefix + 7) / 8;
  }

  /**
   * How many of {@code count} records of {@code each} bytes fit after {@code used} bytes,
   * leaving {@code opt} bytes for the OPT record, in a response of at most {@code limit} bytes.
   */
  public static int records(int count, int each, int used, int opt, int limit) {
    return Math.max(0, Math.min(count, (limit - used - opt) / each));
  }
}
