package io.dnslb.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {
  @Test
  void writesMapsInOrderAndEveryKindOfValue() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("z", 4);
    m.put("a", 4.0);
    m.put("nan", Double.NaN);
    m.put("none", null);
    m.put("ok", true);
    m.put("list", Arrays.asList("x\"y", null, List.of()));
    m.put("empty", Map.of());
    m.put("other", java.time.Instant.parse("2026-12-05T20:00:00Z"));
    assertEquals("{\"z\":4,\"a\":4.0,\"nan\":null,\"none\":null,\"ok\":true,"
        + "\"list\":[\"x\\\"y\",null,[]],\"empty\":{},\"other\":\"2026-12-05T20:00:00Z\"}",
        JsonWriter.write(m));
  }

  @Test
  void whatItWritesReadsBack() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("text", "tab\there, quote \" and \\ and \u0001 and \u2028");
    m.put("n", 2.5);
    assertEquals(m, Json.parse(JsonWriter.write(m)));
  }
}
