package io.dnslb.pool.policy;

/** A small, fast 64-bit hash for rendezvous scores; stable across runs and JVMs. */
public final class Hash64 {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Hash64() {}

  /** MurmurHash3's fmix64 finalizer: every input bit affects every output bit. */
  public static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  /**
   * Hashes the first {@code prefixBits} bits of an address; later bits are ignored, so every
   * address of one subnet hashes alike, and missing trailing bytes count as zero (ECS may send
   * only the prefix's bytes). The family is mixed in, so 10.0.0.0/24 and the IPv6 subnet
   * starting 0a00:0000 do not collide.
   *
   * @param family 1 = IPv4, 2 = IPv6, as in {@code ClientSubnet}
   */
  public static long ofPrefix(int family, byte[] address, int prefixBits) {
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 16; i++) {
      int b = 0;
      if (i < address.length) {
        int keep = Math.min(8, Math.max(0, prefixBits - 8 * i));
        b = address[i] & (0xff00 >>> keep) & 0xff;
      }
      if (i < 8) {
        hi = (hi << 8) | b;
      } else {
        lo = (lo << 8) | b;
      }
    }
    return mix(mix(hi ^ (family * GOLDEN)) ^ lo);
  }

  /** Maps a hash to a double uniform in the open interval (0, 1), never 0 (log-safe). */
  public static double unit(long h) {
    return ((h >>> 11) + 0.5) * 0x1.0p-53;
  }
}
