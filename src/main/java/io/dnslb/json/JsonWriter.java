package io.dnslb.json;

import java.util.List;
import java.util.Map;

/**
 * The one way dnslb writes JSON: a tree of maps (in their iteration order: build them as
 * LinkedHashMap), lists, strings, numbers, booleans and nulls. Strings are escaped by
 * {@link Json#string}; a number is written as Java prints it (an Integer as {@code 4}, a Double as
 * {@code 4.0}); a non-finite double, which JSON cannot hold, as null; anything else as its
 * {@code toString()} in a string.
 */
public final class JsonWriter {
  private JsonWriter() {}

  public static String write(Object value) {
    return write(new StringBuilder(1024), value).toString();
  }

  public static StringBuilder write(StringBuilder b, Object v) {
    if (v == null || v instanceof String) {
      Json.string(b, (String) v);
    } else if (v instanceof Double d && !Double.isFinite(d)) {
      b.append("null");
    } else if (v instanceof Number || v instanceof Boolean) {
      b.append(v);
    } else if (v instanceof Map<?, ?> m) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        b.append(first ? "" : ",");
        first = false;
        Json.string(b, String.valueOf(e.getKey())).append(':');
        write(b, e.getValue());
      }
      b.append('}');
    } else if (v instanceof List<?> l) {
      b.append('[');
      for (int i = 0; i < l.size(); i++) {
        b.append(i == 0 ? "" : ",");
        write(b, l.get(i));
      }
      b.append(']');
    } else {
      Json.string(b, v.toString());
    }
    return b;
  }
}
