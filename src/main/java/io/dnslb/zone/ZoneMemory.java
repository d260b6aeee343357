package io.dnslb.zone;

import io.dnslb.config.ConfigError;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
   * Peak heap per record while loading, measured: 1,000,000 A records load in a 450 MiB heap but
   * not in 350 MiB; about 300 bytes per record stay once loaded.
   */
  static final long BYTES_PER_RECORD = 400;
  /** Heap per record kept once loaded: what the data already served holds. */
  static final long BYTES_PER_SERVED_RECORD = 300;
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

  static Estimate estimate(Path file) throws ConfigError {
    long records = 0;
    long extra = 0;
    long largestGenerate = 0;
    int largestGenerateLine = 0;
    int depth = 0; // inside ( ... ) a record continues over lines
    int n = 0;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
      for (String line; (line = r.readLine()) != null; ) {
        n++;
        String text = uncommented(line);
        boolean continuation = depth > 0;
        depth = Math.max(0, depth + parentheses(text));
        if (continuation || text.isBlank()) {
          extra += Math.max(0, text.length() - PLAIN_LINE);
          continue;
        }
        Matcher g = GENERATE.matcher(text);
        if (g.find()) {
          long generated = generated(g);
          records += generated;
          if (generated > largestGenerate) {
            largestGenerate = generated;
            largestGenerateLine = n;
          }
        } else if (text.charAt(0) != '$') {
          records++;
          extra += Math.max(0, text.length() - PLAIN_LINE);
        }
      }
    } catch (IOException e) {
      throw new ConfigError(file.toString(), 0, "cannot read: " + e.getMessage());
    }
    return new Estimate(records, records * BYTES_PER_RECORD + extra * 2, largestGenerateLine);
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

  /** Opening minus closing parentheses outside quotes. */
  private static int parentheses(String text) {
    int depth = 0;
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (!quoted) {
        depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      }
    }
    return depth;
  }

  /** The line without its comment; a ';' inside quotes is text. */
  private static String uncommented(String line) {
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ';' && !quoted) {
        return line.substring(0, i);
      }
    }
    return line;
  }
}
