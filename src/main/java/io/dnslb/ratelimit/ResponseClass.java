package io.dnslb.ratelimit;

/**
 * What kind of response a packet is, read from its header alone. Each kind is limited apart, as
 * in BIND and Knot, so that a flood of NXDOMAIN for random names does not use up the allowance
 * for a client's real answers.
 */
enum ResponseClass {
  ANSWER, NODATA, REFERRAL, NXDOMAIN, ERROR;

  private static final int FLAG_AA = 0x0400;
  private static final int NOERROR = 0;
  private static final int NXDOMAIN_RCODE = 3;

  static ResponseClass of(byte[] response) {
    int flags = u16(response, 2);
    int rcode = flags & 0xF;
    if (rcode == NXDOMAIN_RCODE) {
      return NXDOMAIN;
    }
    if (rcode != NOERROR || response.length < 12) {
      return ERROR;
    }
    if (u16(response, 6) > 0) {
      return ANSWER;
    }
    return (flags & FLAG_AA) != 0 ? NODATA : REFERRAL;
  }

  private static int u16(byte[] b, int off) {
    return off + 1 < b.length ? ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff) : 0;
  }
}
