package io.dnslb.zone;

import io.dnslb.config.ConfigError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Tokenizer;
import org.xbill.DNS.Type;

/**
 * Reads a master file line by line: each plain line ({@link PlainLine}) is parsed here, every
 * run of other lines (directives, multi-line records, quotes, other types, anything unusual)
 * goes to dnsjava's {@link Master}, unchanged, with the parser's state carried in and out
 * ($ORIGIN, $TTL, the previous owner), so the records and errors are what one Master over the
 * whole file gives. Records come out in file order, with their line.
 */
final class MasterFileReader {
  /** What the reader hands out. */
  interface Sink {
    /** A plain line, parsed: owner, type, TTL and RDATA in {@code p}. */
    void plain(PlainLine p, int line) throws ConfigError;

    /** A record dnsjava parsed; the same Name object as the previous one for a blank owner. */
    void record(Record r, int line) throws ConfigError;
  }

  /** The TTL of a record without one before any $TTL (as ZoneLoader has always given Master). */
  static final long INITIAL_TTL = 3600;

  // dnsjava keeps its state and line count in private fields; reading them (pinned dnsjava
  // version, see pom) is what lets its part of the file continue where ours stopped and every
  // error name FILE:LINE.
  private static final Field MASTER_TOKENIZER = field(Master.class, "st");
  private static final Field MASTER_ORIGIN = field(Master.class, "origin");
  private static final Field MASTER_TTL = field(Master.class, "defaultTTL");
  private static final Field MASTER_LAST = field(Master.class, "last");
  private static final Field TOKENIZER_LINE = field(Tokenizer.class, "line");
  private static final Pattern DNSJAVA_PREFIX = Pattern.compile("^.*?:\\d+: ");

  private final String display;
  private final byte[] zoneWire;
  private final Sink sink;
  private final PlainLine plain = new PlainLine();
  private final boolean plainLines;

  // The parser's state, shared by both halves.
  private Name origin;
  private byte[] originWire;
  private long defaultTtl = INITIAL_TTL;
  private Name lastOwner;
  private byte[] lastOwnerWire;
  private int lastOwnerLength;

  // Lines waiting for dnsjava: they start at line chunkLine; depth is the open parentheses.
  private final ByteSink chunk = new ByteSink(4096);
  private int chunkLine;
  private int depth;

  private MasterFileReader(String display, Name origin, Sink sink, boolean plainLines) {
    this.plainLines = plainLines;
    this.display = display;
    this.zoneWire = origin.toWire();
    this.sink = sink;
    this.origin = origin;
    this.originWire = zoneWire;
  }

  private static Field field(Class<?> owner, String name) {
    try {
      Field f = owner.getDeclaredField(name);
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Reads file (shown as display in errors) with origin as its first $ORIGIN.
   *
   * @param plainLines false: every line to dnsjava (one Master over the whole file)
   */
  static void read(Path file, String display, Name origin, Sink sink, boolean plainLines)
      throws ConfigError {
    MasterFileReader r = new MasterFileReader(display, origin, sink, plainLines);
    try (InputStream in = Files.newInputStream(file)) {
      r.readAll(in);
    } catch (IOException e) {
      throw new ConfigError(display, 0, "cannot read: " + e.getMessage());
    }
  }

  private void readAll(InputStream in) throws IOException, ConfigError {
    byte[] buf = new byte[1 << 16];
    int len = 0;
    int pos = 0;
    int line = 0;
    boolean eof = false;
    while (true) {
      int nl = -1;
      for (int i = pos; i < len; i++) {
        if (buf[i] == '\n') {
          nl = i;
          break;
        }
      }
      if (nl < 0 && !eof) {
        // Keep the partial line, read more (growing the buffer for a very long line).
        System.arraycopy(buf, pos, buf, 0, len - pos);
        len -= pos;
        pos = 0;
        if (len == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, len, buf.length - len);
        if (n < 0) {
          eof = true;
        } else {
          len += n;
        }
        continue;
      }
      if (nl < 0 && pos == len) {
        break;
      }
      int end = nl < 0 ? len : nl;
      line++;
      line(buf, pos, end, line);
      pos = nl < 0 ? len : nl + 1;
    }
    flush();
  }

  private void line(byte[] b, int start, int end, int line) throws ConfigError {
    int textEnd = end > start && b[end - 1] == '\r' ? end - 1 : end;
    if (depth == 0 && plainLines) {
      int kind = plain.classify(b, start, textEnd);
      if (kind == PlainLine.SKIP && chunk.size() == 0) {
        return;
      }
      if (kind == PlainLine.PLAIN) {
        flush(); // what dnsjava still holds comes first and may change the state
        if (plain.resolve(originWire, zoneWire, lastOwnerWire, lastOwnerLength, defaultTtl)) {
          byte[] ownerWire = plain.owner;
          if (!plain.blankOwner() && !sameName(ownerWire, plain.ownerLength)) {
            // (an owner equal to the last but for case stays the last, as in Master)
            lastOwner = null;
            if (lastOwnerWire == null || lastOwnerWire.length < plain.ownerLength) {
              lastOwnerWire = new byte[256];
            }
            System.arraycopy(ownerWire, 0, lastOwnerWire, 0, plain.ownerLength);
            lastOwnerLength = plain.ownerLength;
          }
          sink.plain(plain, line);
          return;
        }
      }
    }
    if (chunk.size() == 0) {
      chunkLine = line;
    }
    chunk.write(b, start, end - start);
    chunk.u8('\n');
    depth = depthAfter(b, start, end, depth);
  }

  private boolean sameName(byte[] name, int length) {
    if (lastOwnerWire == null || length != lastOwnerLength) {
      return false;
    }
    for (int k = 0; k < length; k++) {
      if (NodeTable.lower(name[k]) != NodeTable.lower(lastOwnerWire[k])) {
        return false;
      }
    }
    return true;
  }

  /** Open parentheses after a line, as dnsjava's tokenizer counts them. */
  private static int depthAfter(byte[] b, int start, int end, int depth) {
    boolean quoted = false;
    for (int i = start; i < end; i++) {
      byte c = b[i];
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == ';') {
        break;
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')') {
        depth = Math.max(0, depth - 1);
      }
    }
    return depth;
  }

  /** Hands the waiting lines to dnsjava, with the state so far, and takes its state back. */
  private void flush() throws ConfigError {
    if (chunk.size() == 0) {
      return;
    }
    int first = chunkLine;
    Master master = new Master(new ByteArrayInputStream(chunk.array(), 0, chunk.size()), origin,
        defaultTtl);
    chunk.clear();
    depth = 0;
    master.disableIncludes(true);
    try {
      Tokenizer tokenizer = (Tokenizer) MASTER_TOKENIZER.get(master);
      Name previous = lastOwner();
      if (previous != null) {
        // A first line with a blank owner continues the owner of the line before.
        MASTER_LAST.set(master, Record.newRecord(previous, Type.A, DClass.IN, 0));
      }
      while (true) {
        Record r;
        try {
          r = master.nextRecord();
        } catch (IOException e) {
          throw new ConfigError(display, first - 1 + TOKENIZER_LINE.getInt(tokenizer),
              stripPrefix(e));
        }
        if (r == null) {
          break;
        }
        // After a record the tokenizer has consumed its end of line: the record is on the line
        // before (multi-line records report their closing line).
        sink.record(r, Math.max(1, first - 2 + TOKENIZER_LINE.getInt(tokenizer)));
      }
      origin = (Name) MASTER_ORIGIN.get(master);
      originWire = origin.toWire();
      defaultTtl = MASTER_TTL.getLong(master);
      Record last = (Record) MASTER_LAST.get(master);
      if (last != null && last.getName() != previous) {
        lastOwner = last.getName();
        lastOwnerWire = lastOwner.toWire();
        lastOwnerLength = lastOwnerWire.length;
      }
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private Name lastOwner() {
    if (lastOwner == null && lastOwnerWire != null) {
      try {
        lastOwner = new Name(Arrays.copyOf(lastOwnerWire, lastOwnerLength));
      } catch (IOException e) {
        throw new IllegalStateException("a name this reader wrote", e);
      }
    }
    return lastOwner;
  }

  private static String stripPrefix(Exception e) {
    String m = String.valueOf(e.getMessage());
    // dnsjava prefixes "<file>:<line>: "; we print our own FILE:LINE.
    Matcher matcher = DNSJAVA_PREFIX.matcher(m);
    return ParseMessages.ours(matcher.find() ? m.substring(matcher.end()) : m);
  }
}
