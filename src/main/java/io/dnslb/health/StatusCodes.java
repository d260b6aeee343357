package io.dnslb.health;

import java.util.List;
import java.util.stream.Collectors;

/** The HTTP status codes an http(s) check accepts, as inclusive ranges ({@code [200, "300-399"]}). */
public record StatusCodes(List<Range> ranges) {
  public record Range(int low, int high) {
    @Override
    public String toString() {
      return low == high ? Integer.toString(low) : low + "-" + high;
    }
  }

  public static final StatusCodes DEFAULT = new StatusCodes(List.of(new Range(200, 399)));

  public StatusCodes {
    ranges = List.copyOf(ranges);
  }

  public boolean accepts(int status) {
    for (Range r : ranges) {
      if (status >= r.low && status <= r.high) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses one element: {@code 200} or {@code "300-399"}.
   *
   * @throws IllegalArgumentException with the problem, for the caller to place at FILE:LINE
   */
  public static Range parseRange(String text) {
    String[] parts = text.trim().split("-", -1);
    if (parts.length > 2) {
      throw new IllegalArgumentException("expect: \"" + text + "\" is not a status code or range like \"300-399\"");
    }
    int low = parseCode(parts[0], text);
    int high = parts.length == 2 ? parseCode(parts[1], text) : low;
    if (high < low) {
      throw new IllegalArgumentException("expect: range \"" + text + "\" ends before it starts");
    }
    return new Range(low, high);
  }

  private static int parseCode(String s, String whole) {
    try {
      int code = Integer.parseInt(s.trim());
      if (code >= 100 && code <= 599) {
        return code;
      }
    } catch (NumberFormatException e) {
      // reported below with the whole element
    }
    throw new IllegalArgumentException("expect: \"" + whole + "\" is not a status code (100-599) or range like \"300-399\"");
  }

  @Override
  public String toString() {
    return ranges.stream().map(Range::toString).collect(Collectors.joining(","));
  }
}
