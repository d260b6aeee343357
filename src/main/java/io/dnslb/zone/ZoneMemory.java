package io.dnslb.zone;

import io.dnslb.config.ConfigError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses zone files that would not fit in the heap, before parsing them. Running out of heap
 * while loading is not a clean error: the JVM thrashes in garbage collection for tens of seconds,
 * and with {@code -XX:+ExitOnOutOfMemoryError} (as the systemd unit runs it) the server exits.
 *
 * <p>The estimate counts record lines (and the records each {@code $GENERATE} would make) in a
 * quick pass over the text, at {@link #BYTES_PER_RECORD} each plus the text itself for large
 * RDATA, against the heap left beside the data already served (which stays until the new data is
 * swapped in) and a {@link #RESERVE} for everything else.
 */
public final class ZoneMemory {
  /**
   * Peak heap per record while loading, measured with the compiled form ({@link NodeTable}):
   * 1,000,000 A records load in a 150 MiB heap but not in 130 MiB (the peak is when the
   * builder's tables and the finished ones coexist); about 60 bytes per record stay once loaded.
   * A signed zone is materialized into dnsjava objects (see {@link Zone#withApexSets}) and its
   * signatures are extra: signing a million-record zone needs far more than this.
   */
  static final long BYTES_PER_RECORD = 150;
  /** Heap per record kept once loaded: what the data already served holds. */
  static final long BYTES_PER_SERVED_RECORD = 64;
  /**
   * Heap for everything but zone data (pools, caches, buffers, a reload's garbage): 64 MiB, or a
   * quarter of a smaller heap, so a small container still loads a small zone.
   */
  static final long RESERVE = 64L << 20;
  /** Record text beyond this many bytes a line is RDATA stored beside the record. */
  private static final int PLAIN_LINE = 32;

  private static final Pattern GENERATE = Pattern.compile(
      "^\\$GENERATE\\s+(\\d+)-(\\d+)(?:/(\\d+))?\\s", Pattern.CASE_INSENSITIVE);

  private final long maxHeap;
  private long available;
  private long needed;

  /**
   * @param maxHeap the heap limit ({@link Runtime#maxMemory()})
   * @param servedRecords records of the data served now, held until the new data replaces it
   */
  ZoneMemory(long maxHeap, long servedRecords) {
    this.maxHeap = maxHeap;
    this.available = maxHeap - Math.min(RESERVE, maxHeap / 4)
        - servedRecords * BYTES_PER_SERVED_RECORD;
  }

  /** Adds one file's estimate; throws if all files so far would not fit. */
  void admit(Path file) throws ConfigError {
    Estimate e = estimate(file);
    needed += e.bytes();
    if (needed > available) {
      throw new ConfigError(file.toString(), e.largestGenerateLine(), String.format(
          "about %,d records (%s) would need about %d MiB of heap to load, with %d MiB left of"
              + " the %d MiB maximum; refused before loading. Raise -Xmx or split the data",
          e.records(), e.largestGenerateLine() > 0 ? "most from the $GENERATE here" : "by line count",
          needed >> 20, Math.max(0, available) >> 20, maxHeap >> 20));
    }
  }

  /**
   * @param records record lines plus generated records
   * @param bytes estimated heap to load them
   * @param largestGenerateLine the line of the largest $GENERATE, or 0 if none
   */
  record Estimate(long records, long bytes, int largestGenerateLine) {}

  /**
   * One pass over the bytes (no String per line: on a million-line zone the line-by-line version
   * cost a third as much CPU as parsing). A line's text is what precedes its comment (a ';'
   * outside quotes); parentheses outside quotes carry a record over lines.
   */
  static Estimate estimate(Path file) throws ConfigError {
    Scan scan = new Scan();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int got; (got = in.read(buf)) > 0; ) {
        for (int i = 0; i < got; i++) {
          scan.accept(buf[i]);
        }
      }
      scan.endOfLine();
    } catch (IOException e) {
      throw new ConfigError(file.toString(), 0, "cannot read: " + e.getMessage());
    }
    return new Estimate(scan.records, scan.records * BYTES_PER_RECORD + scan.extra * 2,
        scan.largestGenerateLine);
  }

  /** The line-by-line state of {@link #estimate}. */
  private static final class Scan {
    long records;
    long extra;
    long largestGenerate;
    int largestGenerateLine;
    private int depth; // inside ( ... ) a record continues over lines
    private int line;
    // the current line
    private int length; // of its text (before the comment)
    private int parentheses;
    private boolean blank = true;
    private boolean comment;
    private boolean quoted;
    private boolean escaped;
    private boolean first = true;
    private boolean directive;
    private boolean afterCr;
    private final StringBuilder directiveText = new StringBuilder();

    void accept(byte b) {
      if (b == '\n' || b == '\r') {
        if (!(b == '\n' && afterCr)) {
          endOfLine();
        }
        afterCr = b == '\r';
        return;
      }
      afterCr = false;
      if (comment) {
        return;
      }
      char c = (char) (b & 0xFF);
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == ';') {
        comment = true;
        return;
      } else if (!quoted) {
        parentheses += c == '(' ? 1 : c == ')' ? -1 : 0;
      }
      if (first) {
        directive = c == '$';
        first = false;
      }
      if (directive) {
        directiveText.append(c);
      }
      blank &= Character.isWhitespace(c);
      length++;
    }

    void endOfLine() {
      line++;
      boolean continuation = depth > 0;
      depth = Math.max(0, depth + parentheses);
      if (continuation || blank || !directive) {
        extra += Math.max(0, length - PLAIN_LINE);
        if (!continuation && !blank) {
          records++;
        }
      } else {
        // Only a directive line can be a $GENERATE: the pattern runs on those alone.
        Matcher g = GENERATE.matcher(directiveText);
        if (g.find()) {
          long generated = generated(g);
          records += generated;
          if (generated > largestGenerate) {
            largestGenerate = generated;
            largestGenerateLine = line;
          }
        }
      }
      length = 0;
      parentheses = 0;
      blank = true;
      comment = false;
      quoted = false;
      escaped = false;
      first = true;
      directive = false;
      directiveText.setLength(0);
    }
  }

  private static long generated(Matcher g) {
    try {
      long start = Long.parseLong(g.group(1));
      long end = Long.parseLong(g.group(2));
      long step = g.group(3) == null ? 1 : Math.max(1, Long.parseLong(g.group(3)));
      return end < start ? 0 : (end - start) / step + 1;
    } catch (NumberFormatException huge) {
      return Long.MAX_VALUE / BYTES_PER_RECORD; // more digits than a long: certainly too many
    }
  }
}
