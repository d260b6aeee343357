package io.dnslb.zone;

import java.nio.charset.StandardCharsets;
import org.xbill.DNS.Address;
import org.xbill.DNS.Type;

/**
 * A lexer for the plainest master-file line, the kind a large zone is made of:
 * {@code OWNER [TTL] [IN] TYPE DATA} (or {@code [IN] [TTL]}, as RFC 1035 allows either order) on
 * one line, with a type of A, AAAA, NS, CNAME or PTR, one token of data, and nothing in the line
 * (before a comment) but letters, digits, {@code - _ * /}, dots, spaces and tabs. It turns such a
 * line into the owner's wire name, TTL, type and RDATA without a dnsjava object, about ten times
 * cheaper than dnsjava's tokenizer and record parser.
 *
 * <p>It accepts only a subset of what dnsjava accepts and, on that subset, gives exactly what
 * dnsjava gives (proven by {@code PlainLineDifferentialTest} on generated zones). Everything
 * else is {@link #OTHER} and goes to dnsjava unchanged: directives, parentheses, quotes,
 * escapes, other types and classes, TTLs with units, IPv4 with leading zeros, names that are too
 * long or outside the zone, any line dnsjava would refuse. So dnsjava stays the parser of record
 * data and the judge of every error, with the same FILE:LINE message as before. The AAAA address
 * is parsed by dnsjava's own {@link Address#toByteArray}.
 */
final class PlainLine {
  /** {@link #classify}: a blank or comment-only line. */
  static final int SKIP = 0;
  /** {@link #classify}: a line for dnsjava. */
  static final int OTHER = 1;
  /** {@link #classify}: the plain shape; {@link #resolve} finishes it. */
  static final int PLAIN = 2;

  private static final int MAX_NAME = 255;
  private static final int MAX_LABEL = 63;
  /** A TTL of up to 9 digits is below 2^31: dnsjava's TTL rules (units, clamping) never apply. */
  private static final int MAX_TTL_DIGITS = 9;

  // The line being read and its tokens (start, end) after classify.
  private byte[] b;
  private final int[] tokens = new int[2 * 6];
  private boolean blankOwner;
  private int ownerStart;
  private int ownerEnd;
  private int ttlStart = -1;
  private int ttlEnd;
  private int dataStart;
  private int dataEnd;

  /** The type of the line after {@link #classify} returned {@link #PLAIN}. */
  int type;
  /** After {@link #resolve}: the owner's uncompressed wire name in owner[0, ownerLength). */
  final byte[] owner = new byte[MAX_NAME + 1];
  int ownerLength;
  long ttl;
  /** After {@link #resolve}: RDATA in rdata[0, rdataLength). */
  final byte[] rdata = new byte[MAX_NAME + 1];
  int rdataLength;

  /**
   * Reads the shape of line b[start, end) (no line terminator): {@link #SKIP}, {@link #OTHER} or
   * {@link #PLAIN}. Needs no state: what a directive before it changes is applied by
   * {@link #resolve}.
   */
  int classify(byte[] b, int start, int end) {
    this.b = b;
    int stop = end;
    for (int i = start; i < end; i++) {
      int c = b[i] & 0xFF;
      if (c == ';') {
        stop = i;
        break;
      }
      if (!plainByte(c)) {
        return OTHER;
      }
    }
    int[] tok = tokens;
    int n = 0;
    for (int i = start; i < stop; ) {
      while (i < stop && isSpace(b[i])) {
        i++;
      }
      if (i == stop) {
        break;
      }
      if (n == tok.length) {
        return OTHER; // more tokens than any handled shape has
      }
      tok[n++] = i;
      while (i < stop && !isSpace(b[i])) {
        i++;
      }
      tok[n++] = i;
    }
    if (n == 0) {
      return SKIP;
    }
    blankOwner = tok[0] != start;
    int t = 0;
    if (!blankOwner) {
      if (b[tok[0]] == '$') {
        return OTHER; // a directive
      }
      ownerStart = tok[0];
      ownerEnd = tok[1];
      t = 2;
    }
    // dnsjava's order (Master.parseTTLClassAndType): [class] [TTL] [class if not seen] type.
    boolean seenClass = false;
    if (t < n && isIn(tok[t], tok[t + 1])) {
      seenClass = true;
      t += 2;
    }
    ttlStart = -1;
    if (t < n && isDigit(b[tok[t]])) {
      if (!allDigits(tok[t], tok[t + 1]) || tok[t + 1] - tok[t] > MAX_TTL_DIGITS) {
        return OTHER; // units or a large number: dnsjava's TTL rules
      }
      ttlStart = tok[t];
      ttlEnd = tok[t + 1];
      t += 2;
    }
    if (!seenClass && t < n && isIn(tok[t], tok[t + 1])) {
      t += 2;
    }
    if (t >= n) {
      return OTHER;
    }
    type = type(tok[t], tok[t + 1]);
    t += 2;
    if (type < 0 || n - t != 2) {
      return OTHER; // another type, no data, or more than one token of data
    }
    dataStart = tok[t];
    dataEnd = tok[t + 1];
    return PLAIN;
  }

  /**
   * Finishes a {@link #PLAIN} line with the parser's state.
   *
   * @param origin the current $ORIGIN, uncompressed wire form
   * @param zone the zone's origin: an owner outside it is left to dnsjava (and the loader's error)
   * @param lastOwner the previous record's owner (wire), for a blank owner; null if none
   * @param defaultTtl the current $TTL
   * @return false if dnsjava must read the line after all
   */
  boolean resolve(byte[] origin, byte[] zone, byte[] lastOwner, int lastOwnerLength,
      long defaultTtl) {
    if (blankOwner) {
      if (lastOwner == null) {
        return false;
      }
      System.arraycopy(lastOwner, 0, owner, 0, lastOwnerLength);
      ownerLength = lastOwnerLength;
    } else {
      ownerLength = name(ownerStart, ownerEnd, origin, owner, 0);
      if (ownerLength < 0 || !inside(owner, ownerLength, zone)) {
        return false;
      }
    }
    ttl = ttlStart < 0 ? defaultTtl : digits(ttlStart, ttlEnd);
    switch (type) {
      case Type.A:
        rdataLength = ipv4(dataStart, dataEnd);
        break;
      case Type.AAAA:
        byte[] a = Address.toByteArray(
            new String(b, dataStart, dataEnd - dataStart, StandardCharsets.ISO_8859_1),
            Address.IPv6);
        if (a == null) {
          return false;
        }
        System.arraycopy(a, 0, rdata, 0, a.length);
        rdataLength = a.length;
        break;
      default: // NS, CNAME, PTR: one domain name
        rdataLength = name(dataStart, dataEnd, origin, rdata, 0);
        break;
    }
    return rdataLength >= 0;
  }

  /** Whether the owner was left blank (it is the previous record's). */
  boolean blankOwner() {
    return blankOwner;
  }

  /**
   * Writes the name b[s, e) as dnsjava's {@code Name.fromString(text, origin)} would, case kept.
   *
   * @return its length, or -1 where dnsjava should judge it ("." alone, empty or long labels,
   *     over 255 bytes)
   */
  private int name(int s, int e, byte[] origin, byte[] out, int at) {
    if (e - s == 1 && b[s] == '@') {
      System.arraycopy(origin, 0, out, at, origin.length);
      return origin.length;
    }
    int p = at;
    int label = s;
    for (int i = s; i <= e; i++) {
      if (i == e || b[i] == '.') {
        int len = i - label;
        if (len == 0) {
          if (i == e && i > s) {
            out[p++] = 0; // a trailing dot: absolute
            return p - at;
          }
          return -1;
        }
        if (len > MAX_LABEL || p - at + 1 + len + 1 > MAX_NAME) {
          return -1;
        }
        out[p++] = (byte) len;
        System.arraycopy(b, label, out, p, len);
        p += len;
        label = i + 1;
      } else if (b[i] == '@') {
        return -1;
      }
    }
    if (p - at + origin.length > MAX_NAME) {
      return -1;
    }
    System.arraycopy(origin, 0, out, p, origin.length);
    return p - at + origin.length;
  }

  /** Whether a wire name ends in zone's labels (ASCII case ignored), at a label boundary. */
  private static boolean inside(byte[] name, int length, byte[] zone) {
    for (int p = 0; p < length; p += 1 + (name[p] & 0xFF)) {
      if (length - p == zone.length) {
        for (int k = 0; k < zone.length; k++) {
          if (NodeTable.lower(name[p + k]) != NodeTable.lower(zone[k])) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }

  /** A dotted quad without leading zeros (dnsjava's {@code Address} form); -1 otherwise. */
  private int ipv4(int s, int e) {
    int part = 0;
    int i = s;
    while (part < 4) {
      int from = i;
      int v = 0;
      while (i < e && isDigit(b[i]) && i - from < 3) {
        v = v * 10 + (b[i] - '0');
        i++;
      }
      int len = i - from;
      if (len == 0 || v > 255 || (len > 1 && b[from] == '0')) {
        return -1;
      }
      rdata[part++] = (byte) v;
      if (part < 4) {
        if (i >= e || b[i] != '.') {
          return -1;
        }
        i++;
      }
    }
    return i == e ? 4 : -1;
  }

  /** Handled types by mnemonic, ASCII case ignored; -1 for any other. */
  private int type(int s, int e) {
    switch (e - s) {
      case 1:
        return (b[s] | 0x20) == 'a' ? Type.A : -1;
      case 2:
        return (b[s] | 0x20) == 'n' && (b[s + 1] | 0x20) == 's' ? Type.NS : -1;
      case 3:
        return is(s, "ptr") ? Type.PTR : -1;
      case 4:
        return is(s, "aaaa") ? Type.AAAA : -1;
      case 5:
        return is(s, "cname") ? Type.CNAME : -1;
      default:
        return -1;
    }
  }

  private boolean is(int s, String lower) {
    for (int k = 0; k < lower.length(); k++) {
      if ((b[s + k] | 0x20) != lower.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private boolean isIn(int s, int e) {
    return e - s == 2 && (b[s] | 0x20) == 'i' && (b[s + 1] | 0x20) == 'n';
  }

  private boolean allDigits(int s, int e) {
    for (int i = s; i < e; i++) {
      if (!isDigit(b[i])) {
        return false;
      }
    }
    return true;
  }

  private long digits(int s, int e) {
    long v = 0;
    for (int i = s; i < e; i++) {
      v = v * 10 + (b[i] - '0');
    }
    return v;
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\t';
  }

  /** Letters, digits, - _ * / . @ $ and blanks: no quote, parenthesis, escape or control. */
  private static boolean plainByte(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '.' || c == '-' || c == '_' || c == '*' || c == '/' || c == ' ' || c == '\t'
        || c == '@' || c == '$' || c == ':';
  }
}
