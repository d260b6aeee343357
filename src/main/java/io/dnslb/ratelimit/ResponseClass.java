package io.dnslb.ratelimit;

import io.dnslb.wire.Wire;

/**
 * What kind of response a packet is, read from its header alone. Each kind is limited apart, as
 * in BIND and Knot, so that a flood of NXDOMAIN for random names does not use up the allowance
 * for a client's real answers.
 */
enum ResponseClass {
  ANSWER, NODATA, REFERRAL, NXDOMAIN, ERROR;

  private static final int NOERROR = 0;
  private static final int NXDOMAIN_RCODE = 3;

  static ResponseClass of(byte[] response) {
    if (response.length < Wire.HEADER) {
      return ERROR;
    }
    int flags = Wire.u16(response, 2);
    int rcode = flags & 0xF;
    if (rcode == NXDOMAIN_RCODE) {
      return NXDOMAIN;
    }
    if (rcode != NOERROR) {
      return ERROR;
    }
    if (Wire.u16(response, 6) > 0) {
      return ANSWER;
    }
    return (flags & Wire.FLAG_AA) != 0 ? NODATA : REFERRAL;
  }
}
