package io.dnslb.zone;

import java.util.Arrays;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * One RRset as bytes: type (2), TTL (4), data records (2), signatures (2), then each record's
 * RDATA as its length (2) and the uncompressed wire bytes dnsjava wrote for it. The owner is not
 * stored here (the node holds it) and the class is always IN. Decoding goes through dnsjava's own
 * wire parser ({@link Record#newRecord(Name, int, int, long, byte[])}), so the records served are
 * the records dnsjava parsed.
 */
final class EncodedSets {
  static final int HEADER = 10;

  private EncodedSets() {}

  static int type(byte[] d, int p) {
    return u16(d, p);
  }

  static long ttl(byte[] d, int p) {
    return ((long) u16(d, p + 2) << 16) | u16(d, p + 4);
  }

  /** The position after the RRset at p. */
  static int next(byte[] d, int p) {
    int n = u16(d, p + 6) + u16(d, p + 8);
    p += HEADER;
    for (int k = 0; k < n; k++) {
      p += 2 + u16(d, p);
    }
    return p;
  }

  /** A new dnsjava RRset from the bytes at p, its records owned by owner. */
  static RRset decode(byte[] d, int p, Name owner) {
    int type = type(d, p);
    long ttl = ttl(d, p);
    int records = u16(d, p + 6);
    int sigs = u16(d, p + 8);
    RRset set = new RRset();
    p += HEADER;
    for (int k = 0; k < records + sigs; k++) {
      int len = u16(d, p);
      byte[] rdata = Arrays.copyOfRange(d, p + 2, p + 2 + len);
      set.addRR(Record.newRecord(owner, k < records ? type : Type.RRSIG, DClass.IN, ttl, rdata));
      p += 2 + len;
    }
    return set;
  }

  /** Appends an RRset header; its records follow, each by {@link #record}. */
  static void header(ByteSink out, int type, long ttl, int recordCount, int sigCount) {
    out.u16(type);
    out.u32(ttl);
    out.u16(recordCount);
    out.u16(sigCount);
  }

  /** Appends one record's RDATA (data records first, then signatures, as the header counts). */
  static void record(ByteSink out, byte[] src, int off, int len) {
    out.u16(len);
    out.write(src, off, len);
  }

  /** The type an RRset holding this record is filed under: an RRSIG's is the type it covers. */
  static int setType(Record r) {
    return r instanceof RRSIGRecord sig ? sig.getTypeCovered() : r.getType();
  }

  static int u16(byte[] d, int p) {
    return ((d[p] & 0xFF) << 8) | (d[p + 1] & 0xFF);
  }
}
