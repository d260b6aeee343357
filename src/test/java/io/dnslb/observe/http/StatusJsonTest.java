package io.dnslb.observe.http;

import io.dnslb.json.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dnslb.observe.BuildInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusJsonTest {
  static final List<PoolStatus> POOLS = List.of(
      new PoolStatus("web", List.of("www.example.com.", "example.com."), "wrr", List.of(
          new MemberStatus("192.0.2.1", 3, 0, "none", "up", Instant.parse("2026-01-01T00:00:00.123456789Z"),
              "HTTP 200", 1_234_567, true, null, null, null, 3, 1, 1, 0),
          new MemberStatus("2001:db8::1", 1, 1, "drain", "unknown", null, "", -1, false,
              "/etc/dnslb/zones/web.pools.conf:12", null, "drain by ops: maintenance", 1, 1, 1, 0)),
          false),
      new PoolStatus("cache", List.of("cache.example.com."), "first", List.of(
          new MemberStatus("192.0.2.9", 1, 0, "none", "down", Instant.parse("2026-01-01T00:01:00Z"),
              "exit 1: said \"no\"\\\t\u0001", 4_000_000, true, null, null, null, 1, 1, 1, 0)),
          true));

  @Test
  void encodesTheDocumentedShape() {
    assertEquals("{\"version\":\"" + BuildInfo.VERSION + "\",\"pools\":[{\"id\":\"web\","
        + "\"names\":[\"www.example.com.\",\"example.com.\"],\"policy\":\"wrr\",\"failing_open\":false,"
        + "\"members\":[{\"address\":\"192.0.2.1\",\"weight\":3,\"priority\":0,\"admin\":\"none\",\"health\":\"up\","
        + "\"last_change\":\"2026-01-01T00:00:00.123Z\",\"last_reason\":\"HTTP 200\",\"last_latency_ms\":1.234,"
        + "\"in_rotation\":true,\"admin_source\":null,\"admin_reason\":null,\"override\":null,"
        + "\"effective_weight\":3.0,\"ramp\":1.0,\"load_factor\":1.0,\"answer_share\":0.0},"
        + "{\"address\":\"2001:db8::1\",\"weight\":1,\"priority\":1,\"admin\":\"drain\",\"health\":\"unknown\","
        + "\"last_change\":null,\"last_reason\":\"\",\"last_latency_ms\":null,\"in_rotation\":false,"
        + "\"admin_source\":\"/etc/dnslb/zones/web.pools.conf:12\",\"admin_reason\":null,"
        + "\"override\":\"drain by ops: maintenance\","
        + "\"effective_weight\":1.0,\"ramp\":1.0,\"load_factor\":1.0,\"answer_share\":0.0}]},"
        + "{\"id\":\"cache\",\"names\":[\"cache.example.com.\"],\"policy\":\"first\",\"failing_open\":true,"
        + "\"members\":[{\"address\":\"192.0.2.9\",\"weight\":1,\"priority\":0,\"admin\":\"none\",\"health\":\"down\","
        + "\"last_change\":\"2026-01-01T00:01:00Z\",\"last_reason\":\"exit 1: said \\\"no\\\"\\\\\\t\\u0001\","
        + "\"last_latency_ms\":4.0,\"in_rotation\":true,\"admin_source\":null,\"admin_reason\":null,"
        + "\"override\":null,"
        + "\"effective_weight\":1.0,\"ramp\":1.0,\"load_factor\":1.0,\"answer_share\":0.0}]}]}",
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
    assertEquals("{\"version\":\"" + BuildInfo.VERSION + "\",\"pools\":[]}", StatusJson.encode(List.of()));
  }
}
