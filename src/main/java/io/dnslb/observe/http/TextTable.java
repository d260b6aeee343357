package io.dnslb.observe.http;

import java.util.List;

/**
 * The commands' tables (status, admin list) laid out one way: each row indented by two spaces,
 * columns two spaces apart and padded to their widest cell, the last column unpadded. The first
 * row is the header.
 */
public final class TextTable {
  private static final String RESET = "\033[0m";

  /** The terminal colour of a body cell, or null for none. */
  @FunctionalInterface
  public interface Paint {
    String colour(int column, String cell);
  }

  private TextTable() {}

  public static String render(List<String[]> rows) {
    StringBuilder b = new StringBuilder();
    render(b, rows, null);
    return b.toString();
  }

  /** Appends the rows to {@code b}; {@code paint} (may be null) colours body cells. */
  public static void render(StringBuilder b, List<String[]> rows, Paint paint) {
    int[] width = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    for (String[] row : rows) {
      b.append("  ");
      for (int c = 0; c < row.length; c++) {
        boolean last = c == row.length - 1;
        String cell = last ? row[c] : row[c] + " ".repeat(width[c] - row[c].length());
        String colour = paint == null || row == rows.get(0) ? null : paint.colour(c, row[c]);
        b.append(colour == null ? cell : colour + cell + RESET).append(last ? "" : "  ");
      }
      b.append('\n');
    }
  }

  /** A JSON number (parsed as a double) as a whole number; anything else as it prints. */
  public static String whole(Object v) {
    return v instanceof Double d ? Long.toString(d.longValue()) : String.valueOf(v);
  }

  /** A value from a server as one line of a table: control characters shown as '?'. */
  public static String clean(Object v) {
    return String.valueOf(v).replaceAll("\\p{Cntrl}", "?");
  }
}
