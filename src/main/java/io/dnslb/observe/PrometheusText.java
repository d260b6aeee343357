package io.dnslb.observe;

/** Builds the Prometheus text exposition format (version 0.0.4), escaping label values. */
public final class PrometheusText {
  private final StringBuilder out = new StringBuilder(8192);

  public PrometheusText header(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  /** @param labels already formatted {@code a="x",b="y"} (see {@link #label}), or empty */
  public PrometheusText sample(String name, String labels, double value) {
    out.append(name);
    if (!labels.isEmpty()) {
      out.append('{').append(labels).append('}');
    }
    out.append(' ');
    if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
      out.append((long) value);
    } else {
      out.append(value);
    }
    out.append('\n');
    return this;
  }

  /** {@code name="value"} with backslash, double quote and newline escaped as the format requires. */
  public static String label(String name, String value) {
    StringBuilder b = new StringBuilder(name.length() + value.length() + 4).append(name).append("=\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }

  static String seconds(long nanos) {
    return Double.toString(nanos / 1e9);
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
