package io.dnslb.observe.http;

import io.dnslb.json.Json;
import java.util.List;
import java.util.Map;

/** Writes a tree of maps, lists, strings, numbers, booleans and nulls as JSON. */
final class JsonWriter {
  private JsonWriter() {}

  static String write(Object value) {
    StringBuilder b = new StringBuilder(1024);
    write(b, value);
    return b.toString();
  }

  private static void write(StringBuilder b, Object v) {
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
  }
}
