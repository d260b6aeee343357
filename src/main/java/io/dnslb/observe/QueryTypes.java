package io.dnslb.observe;

/**
 * Maps a query type to a small fixed set of metric labels, so a client sending every possible
 * qtype cannot grow the label set; everything else is OTHER.
 */
final class QueryTypes {
  private static final int[] CODES = {1, 2, 5, 6, 12, 15, 16, 28, 33, 35, 43, 48, 64, 65, 257, 255};
  static final String[] LABELS = {"A", "NS", "CNAME", "SOA", "PTR", "MX", "TXT", "AAAA", "SRV", "NAPTR",
      "DS", "DNSKEY", "SVCB", "HTTPS", "CAA", "ANY", "OTHER"};
  static final int COUNT = LABELS.length;

  private QueryTypes() {}

  static int index(int qtype) {
    for (int i = 0; i < CODES.length; i++) {
      if (CODES[i] == qtype) {
        return i;
      }
    }
    return COUNT - 1;
  }
}
