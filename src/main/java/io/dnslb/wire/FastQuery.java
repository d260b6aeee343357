package io.dnslb.wire;

/**
 * The in-place parse of a plain query, reused per thread: header, one uncompressed question and
 * at most one bare OPT, nothing else. {@link #parse} says no to anything unusual (pointers, ECS,
 * cookies, EDNS version &gt; 0, trailing bytes…), and the caller hands the packet to the general
 * path, which answers or rejects it with the full rules. Saying no is always safe; saying yes
 * must only happen for queries whose answer the fast path can reproduce exactly.
 *
 * <p>Fields are public and mutable: one instance per thread is overwritten by each parse, and the
 * query pipeline reads them without accessors on its allocation-free path.
 */
public final class FastQuery {
  public static final int MAX_NAME = 255;

  /** Lowercased wire-format qname (a lookup key); {@link #nameLength} bytes are valid. */
  public final byte[] name = new byte[MAX_NAME];
  public int nameLength;
  /** Case-insensitive hash of the qname, see {@link #hash(int, byte)}. */
  public int nameHash;
  public int qtype;
  public int qclass;
  /** Offset just past the question (12 + name + 4): the question is [12, questionEnd). */
  public int questionEnd;
  public boolean edns;
  public int payload;
  public boolean dnssecOk;
  /** The query's RD and CD bits, to copy into the response. */
  public int copiedFlags;

  /** The per-byte step of the name hash; tables built at load time use the same one. */
  public static int hash(int h, byte lowered) {
    return 31 * h + lowered;
  }

  public static byte lower(byte b) {
    return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
  }

  /** True when the packet is a plain query this object now describes. */
  public boolean parse(byte[] p, int length) {
    if (length < Wire.HEADER + 5) {
      return false;
    }
    int flags = Wire.u16(p, 2);
    // QR clear, opcode QUERY (0); QDCOUNT 1, ANCOUNT 0, NSCOUNT 0, ARCOUNT 0 or 1.
    if ((flags & 0xF800) != 0 || p[4] != 0 || p[5] != 1 || (p[6] | p[7] | p[8] | p[9]) != 0
        || p[10] != 0 || (p[11] & 0xFE) != 0) {
      return false;
    }
    copiedFlags = flags & (Wire.FLAG_RD | Wire.FLAG_CD);
    int pos = Wire.HEADER;
    int h = 0;
    int n = 0;
    while (true) {
      if (pos >= length) {
        return false;
      }
      int len = p[pos] & 0xFF;
      if (len > 63 || n + 1 + len > MAX_NAME || pos + 1 + len > length) {
        return false; // a pointer (0xC0), a reserved label type, or too long: general path
      }
      name[n++] = (byte) len;
      h = hash(h, (byte) len);
      pos++;
      for (int end = pos + len; pos < end; pos++) {
        byte b = lower(p[pos]);
        name[n++] = b;
        h = hash(h, b);
      }
      if (len == 0) {
        break;
      }
    }
    if (pos + 4 > length) {
      return false;
    }
    nameLength = n;
    nameHash = h;
    qtype = Wire.u16(p, pos);
    qclass = Wire.u16(p, pos + 2);
    pos += 4;
    questionEnd = pos;
    edns = p[11] == 1;
    if (!edns) {
      return pos == length;
    }
    // Root owner, type OPT, payload, extended rcode 0, version 0, flags, RDLENGTH 0 (no options).
    if (pos + 11 != length || p[pos] != 0 || Wire.u16(p, pos + 1) != 41 || p[pos + 5] != 0
        || p[pos + 6] != 0 || p[pos + 9] != 0 || p[pos + 10] != 0) {
      return false;
    }
    payload = Wire.u16(p, pos + 3);
    dnssecOk = (p[pos + 7] & 0x80) != 0;
    return true;
  }

  /** The largest response allowed ({@link Wire#sizeLimit}). */
  public int sizeLimit(boolean tcp, int ourPayload) {
    return Wire.sizeLimit(tcp, edns ? payload : -1, ourPayload);
  }
}
