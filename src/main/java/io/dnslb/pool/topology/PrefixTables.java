package io.dnslb.pool.topology;

/** One {@link RangeTable} per address family: IPv4 (32 bits) and IPv6 (128 bits). */
public record PrefixTables(RangeTable ipv4, RangeTable ipv6) {
  public static final PrefixTables EMPTY =
      new PrefixTables(RangeTable.empty(32), RangeTable.empty(128));

  /** Packed lookup result (see {@link RangeTable#pack}); family 1 = IPv4, 2 = IPv6. */
  public int lookup(int family, long hi, long lo) {
    return (family == 1 ? ipv4 : ipv6).lookup(hi, lo);
  }

  public int size() {
    return ipv4.size() + ipv6.size();
  }
}
