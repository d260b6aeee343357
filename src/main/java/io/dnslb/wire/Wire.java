package io.dnslb.wire;

/** Header-level constants and helpers for reading a packet before dnsjava sees it. */
final class Wire {
  static final int HEADER = 12;
  static final int FLAG_QR = 0x8000;
  static final int FLAG_RD = 0x0100;
  static final int FLAG_CD = 0x0010;

  private Wire() {}

  static int u16(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  /**
   * A header-only reply (no question) with the query's ID, opcode and RD, for packets whose
   * question we cannot or must not echo.
   */
  static byte[] headerOnly(byte[] query, int rcode) {
    byte[] r = new byte[HEADER];
    r[0] = query[0];
    r[1] = query[1];
    int flags = u16(query, 2);
    int out = FLAG_QR | (flags & 0x7800) | (flags & FLAG_RD) | (rcode & 0xF);
    r[2] = (byte) (out >>> 8);
    r[3] = (byte) out;
    return r;
  }
}
