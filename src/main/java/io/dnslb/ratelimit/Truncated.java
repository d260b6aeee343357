package io.dnslb.ratelimit;

import static io.dnslb.wire.Wire.FLAG_AA;
import static io.dnslb.wire.Wire.FLAG_TC;
import static io.dnslb.wire.Wire.HEADER;

import java.util.Arrays;

/**
 * The "slipped" form of a response: its header with TC set and the question, nothing else. A
 * real client retries over TCP; a spoofed victim gets fewer bytes than the query had, so a slip
 * never amplifies.
 */
final class Truncated {
  private Truncated() {}

  static byte[] of(byte[] response) {
    int end = questionEnd(response);
    byte[] out = Arrays.copyOf(response, end);
    int flags = (((out[2] & 0xff) << 8) | (out[3] & 0xff) | FLAG_TC) & ~FLAG_AA;
    out[2] = (byte) (flags >>> 8);
    out[3] = (byte) flags;
    out[4] = 0;
    out[5] = (byte) (end > HEADER ? 1 : 0);
    Arrays.fill(out, 6, HEADER, (byte) 0); // no answer, authority or additional records
    return out;
  }

  /** Where the first question ends, or the header's end without a readable one. */
  private static int questionEnd(byte[] r) {
    if (r.length <= HEADER || (((r[4] & 0xff) << 8) | (r[5] & 0xff)) == 0) {
      return Math.min(r.length, HEADER);
    }
    int i = HEADER;
    while (i < r.length && r[i] != 0) {
      if ((r[i] & 0xC0) != 0) {
        return HEADER; // our responses echo the question uncompressed; anything else: header only
      }
      i += 1 + (r[i] & 0xff);
    }
    int end = i + 1 + 4;
    return end <= r.length ? end : HEADER;
  }
}
