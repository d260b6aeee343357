package io.dnslb.observe.http;

import io.dnslb.json.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusJsonTest {
  static final List<PoolStatus> POOLS = List.of(
      new PoolStatus("web", List.of("www.example.com.", "example.com."), "wrr", List.of(
          new MemberStatus("192.0.2.1", 3, 0, "enabled", "up", Instant.parse("2026-01-01T00:00:00Z"), "HTTP 200", 1_234_567, null),
          new MemberStatus("2001:db8::1", 1, 1, "drain", "unknown", null, "", -1, "drain by ops: maintenance"))),
      new PoolStatus("cache", List.of("cache.example.com."), "first", List.of(
          new MemberStatus("192.0.2.9", 1, 0, "enabled", "down", Instant.parse("2026-01-01T00:01:00Z"),
              "exit 1: said \"no\"\\\t\u0001", 4_000_000, null))));

  @Test
  void encodesTheDocumentedShape() {
    assertEquals("{\"pools\":[{\"id\":\"web\",\"names\":[\"www.example.com.\",\"example.com.\"],\"policy\":\"wrr\","
        + "\"members\":[{\"address\":\"192.0.2.1\",\"weight\":3,\"priority\":0,\"admin\":\"enabled\",\"health\":\"up\","
        + "\"last_change\":\"2026-01-01T00:00:00Z\",\"last_reason\":\"HTTP 200\",\"last_latency_ms\":1.234,\"override\":null},"
        + "{\"address\":\"2001:db8::1\",\"weight\":1,\"priority\":1,\"admin\":\"drain\",\"health\":\"unknown\","
        + "\"last_change\":null,\"last_reason\":\"\",\"last_latency_ms\":null,"
        + "\"override\":\"drain by ops: maintenance\"}]},"
        + "{\"id\":\"cache\",\"names\":[\"cache.example.com.\"],\"policy\":\"first\",\"members\":[{\"address\":\"192.0.2.9\","
        + "\"weight\":1,\"priority\":0,\"admin\":\"enabled\",\"health\":\"down\",\"last_change\":\"2026-01-01T00:01:00Z\","
        + "\"last_reason\":\"exit 1: said \\\"no\\\"\\\\\\t\\u0001\",\"last_latency_ms\":4.0,\"override\":null}]}]}",
        StatusJson.encode(POOLS));
  }

  @Test
  void escapedStringsReadBackUnchanged() {
    Map<?, ?> doc = (Map<?, ?>) Json.parse(StatusJson.encode(POOLS));
    Map<?, ?> cache = (Map<?, ?>) ((List<?>) doc.get("pools")).get(1);
    Map<?, ?> member = (Map<?, ?>) ((List<?>) cache.get("members")).get(0);
    assertEquals("exit 1: said \"no\"\\\t\u0001", member.get("last_reason"));
    assertEquals(4.0, member.get("last_latency_ms"));
  }

  @Test
  void emptyStatus() {
    assertEquals("{\"pools\":[]}", StatusJson.encode(List.of()));
  }
}
