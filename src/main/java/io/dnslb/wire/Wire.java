package io.dnslb.wire;

/** Header-level constants and helpers for reading a packet before dnsjava sees it. */
public final class Wire {
  public static final int HEADER = 12;
  public static final int FLAG_QR = 0x8000;
  public static final int FLAG_AA = 0x0400;
  public static final int FLAG_TC = 0x0200;
  public static final int FLAG_RD = 0x0100;
  public static final int FLAG_CD = 0x0010;
  /** The largest message: TCP's 2-byte length prefix. */
  public static final int MAX_MESSAGE = 65535;
  /** The UDP limit without EDNS, and the floor of any advertised EDNS payload (RFC 6891 §6.2.5). */
  public static final int CLASSIC_UDP = 512;

  private Wire() {}

  /** A record's fixed part after an owner that points at the question's name (C0 0C). */
  public static final int RECORD_AT_QNAME = 12;

  public static int u16(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  public static void putU16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  public static void putU32(byte[] b, int off, long v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  /**
   * A record's owner and fixed fields, class IN, with the owner a compression pointer to the
   * question's name at offset 12 ({@code C0 0C}, which keeps the client's 0x20 case); the RDATA
   * of {@code rdLength} bytes follows at the returned offset.
   */
  public static int putRecordAtQname(byte[] b, int off, int type, long ttl, int rdLength) {
    putU16(b, off, 0xC000 | HEADER);
    putU16(b, off + 2, type);
    putU16(b, off + 4, 1);
    putTtl(b, off, ttl);
    putU16(b, off + 10, rdLength);
    return off + RECORD_AT_QNAME;
  }

  /** Rewrites the TTL of the record that starts at {@code off} (a record at the question's name). */
  public static void putTtl(byte[] b, int off, long ttl) {
    putU32(b, off + 6, ttl);
  }

  /**
   * The largest response a query may receive (RFC 6891 §6.2.3–6.2.5, RFC 7766), the one size
   * rule both query paths use.
   *
   * @param clientPayload the query's EDNS payload size, or -1 without EDNS
   * @param ourPayload the payload size we advertise
   */
  public static int sizeLimit(boolean tcp, int clientPayload, int ourPayload) {
    if (tcp) {
      return MAX_MESSAGE;
    }
    return clientPayload < 0
        ? CLASSIC_UDP : Math.max(CLASSIC_UDP, Math.min(clientPayload, ourPayload));
  }

  /**
   * A header-only reply (no question) with the query's ID, opcode and RD, for packets whose
   * question we cannot or must not echo.
   */
  public static byte[] headerOnly(byte[] query, int rcode) {
    byte[] r = new byte[HEADER];
    r[0] = query[0];
    r[1] = query[1];
    int flags = u16(query, 2);
    int out = FLAG_QR | (flags & 0x7800) | (flags & FLAG_RD) | (rcode & 0xF);
    putU16(r, 2, out);
    return r;
  }
}
