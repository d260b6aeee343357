package io.dnslb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.config.ConfigError;
import io.dnslb.config.Settings;
import io.dnslb.json.Json;
import io.dnslb.testing.TestServer;
import io.dnslb.time.ManualTicker;
import io.dnslb.time.Ticker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The runtime admin API on a real server: HTTP on loopback, answers checked over UDP. */
class AdminApiE2ETest {
  static final String ZONE = """
      $ORIGIN pool.test.
      $TTL 3600
      @   IN SOA ns1 hostmaster 1 3600 600 86400 60
      @   IN NS  ns1
      ns1 IN A   192.0.2.1
      """;
  static final String POOLS = """
      pools {
        web {
          names = ["www.pool.test."]
          members = [
            { address = "192.0.2.10", weight = 3 }
            { address = "192.0.2.11" }
            { address = "192.0.2.12" }
          ]
        }
        pair {
          names = ["pair.pool.test."]
          min-serving = 2
          members = [ { address = "192.0.2.20" }, { address = "192.0.2.21" } ]
        }
      }
      """;

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static TestServer start(Path dir, Map<String, Object> extra) throws Exception {
    return start(dir, extra, Ticker.SYSTEM);
  }

  static TestServer start(Path dir, Map<String, Object> extra, Ticker ticker) throws Exception {
    TestServer.Builder b = TestServer.in(dir).file("pool.test.zone", ZONE)
        .file("pool.test.pools.conf", POOLS).set("http.listen", "127.0.0.1:0").ticker(ticker);
    extra.forEach(b::set);
    return b.start();
  }

  static URI uri(TestServer s, String path) {
    var a = s.server().httpAddress();
    return URI.create("http://127.0.0.1:" + a.getPort() + path);
  }

  HttpResponse<String> send(TestServer s, String method, String path, String body, String token)
      throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(uri(s, path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Addresses seen in n answers for the name. */
  static Set<String> served(TestServer s, String name, int n) throws Exception {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      Message m = s.client().udp(name, Type.A);
      for (Record r : m.getSection(Section.ANSWER)) {
        seen.add(((ARecord) r).getAddress().getHostAddress());
      }
    }
    return seen;
  }

  static Map<?, ?> json(HttpResponse<String> r) {
    return (Map<?, ?>) Json.parse(r.body());
  }

  @Test
  void drainTakesAMemberOutOfEveryAnswerAndDeleteBringsItBack(@TempDir Path dir) throws Exception {
    try (TestServer s = start(dir, Map.of())) {
      assertEquals(Set.of("192.0.2.10", "192.0.2.11", "192.0.2.12"), served(s, "www.pool.test.", 5));
      var put = send(s, "PUT", "/v1/pools/web/members/192.0.2.10",
          "{\"admin\":\"drain\",\"reason\":\"kernel update\"}", null);
      assertEquals(200, put.statusCode(), put.body());
      Map<?, ?> member = json(put);
      assertEquals("drain", member.get("admin"));
      assertEquals("none", ((Map<?, ?>) member.get("file")).get("admin"));
      Map<?, ?> override = (Map<?, ?>) member.get("override");
      assertEquals("kernel update", override.get("reason"));
      assertEquals("127.0.0.1", override.get("by"));
      for (int i = 0; i < 200; i++) {
        Set<String> one = served(s, "www.pool.test.", 1);
        assertTrue(!one.contains("192.0.2.10"), "drained member answered: " + one);
      }
      var status = send(s, "GET", "/status", null, null).body();
      assertTrue(status.contains("\"override\":\"drain by 127.0.0.1: kernel update\""), status);

      var del = send(s, "DELETE", "/v1/pools/web/members/192.0.2.10", null, null);
      assertEquals(200, del.statusCode(), del.body());
      assertNull(json(del).get("override"));
      assertEquals(Set.of("192.0.2.10", "192.0.2.11", "192.0.2.12"), served(s, "www.pool.test.", 8));
    }
  }

  @Test
  void weightOverrideChangesTheShareAndTheListShowsIt(@TempDir Path dir) throws Exception {
    try (TestServer s = start(dir, Map.of())) {
      var put = send(s, "PUT", "/v1/pools/web/members/192.0.2.11", "{\"weight\":0}", null);
      assertEquals(200, put.statusCode(), put.body());
      assertEquals(0.0, json(put).get("weight"));
      // round-robin answers every serving member: weight 0 leaves it out while others are up
      assertEquals(Set.of("192.0.2.10", "192.0.2.12"), served(s, "www.pool.test.", 5));
      Map<?, ?> pools = json(send(s, "GET", "/v1/pools", null, null));
      List<?> list = (List<?>) pools.get("pools");
      assertEquals(2, list.size());
      Map<?, ?> web = json(send(s, "GET", "/v1/pools/web", null, null));
      Map<?, ?> m11 = (Map<?, ?>) ((List<?>) web.get("members")).get(1);
      assertEquals("192.0.2.11", m11.get("address"));
      assertEquals(0.0, ((Map<?, ?>) m11.get("override")).get("weight"));
      assertEquals(1.0, ((Map<?, ?>) m11.get("file")).get("weight"));
      assertEquals(0.0, m11.get("effective_weight"));
      assertEquals(3.0, ((Map<?, ?>) ((List<?>) web.get("members")).get(0)).get("effective_weight"));
    }
  }

  /**
   * /v1/pools shows the weight in force (override, else file) and the weight the member gets now:
   * a member undrained by the operator ramps up from 10 % (slow start), which the first hides.
   * On the server's time source, as /status: a manual ticker holds the ramp where it began.
   */
  @Test
  void theListShowsTheEffectiveWeightBesideTheWeightInForce(@TempDir Path dir) throws Exception {
    ManualTicker ticker = new ManualTicker();
    try (TestServer s = TestServer.in(dir).ticker(ticker).file("pool.test.zone", ZONE)
        .file("pool.test.pools.conf", """
            pools { slow {
              names = ["slow.pool.test."]
              policy = weighted
              slow-start = 60s
              members = [ { address = "192.0.2.30", weight = 4 }, { address = "192.0.2.31", weight = 2 } ]
            } }
            """).set("http.listen", "127.0.0.1:0").start()) {
      assertEquals(200, send(s, "PUT", "/v1/pools/slow/members/192.0.2.30",
          "{\"admin\":\"drain\",\"weight\":6}", null).statusCode());
      var back = send(s, "DELETE", "/v1/pools/slow/members/192.0.2.30", null, null);
      assertEquals(200, back.statusCode(), back.body());
      Map<?, ?> slow = json(send(s, "GET", "/v1/pools/slow", null, null));
      Map<?, ?> m30 = (Map<?, ?>) ((List<?>) slow.get("members")).get(0);
      Map<?, ?> m31 = (Map<?, ?>) ((List<?>) slow.get("members")).get(1);
      assertEquals(4.0, m30.get("weight"), m30.toString());
      double ramp = (Double) m30.get("ramp");
      double effective = (Double) m30.get("effective_weight");
      // 10 % at the undrain, 100 % after 60 s; a busy machine may take a few seconds to get here
      assertTrue(ramp >= 0.1 && ramp < 0.5, "ramp " + ramp);
      assertTrue(effective >= 0.4 && effective < 4 * 0.5, "effective weight " + effective);
      assertEquals(1.0, m30.get("load_factor"));
      assertEquals(2.0, m31.get("weight"));
      assertEquals(2.0, m31.get("effective_weight"));
      assertEquals(1.0, m31.get("ramp"));
      assertEquals(0.1, ramp, "time stands still: the ramp where it began");
      ticker.advance(Duration.ofSeconds(60));
      Map<?, ?> later = (Map<?, ?>) ((List<?>) json(send(s, "GET", "/v1/pools/slow", null, null))
          .get("members")).get(0);
      assertEquals(1.0, later.get("ramp"), "ramped up after slow-start = 60s");
    }
  }

  @Test
  void badRequestsNameTheProblemAndChangeNothing(@TempDir Path dir) throws Exception {
    try (TestServer s = start(dir, Map.of())) {
      String m = "/v1/pools/web/members/192.0.2.10";
      assertEquals(404, send(s, "GET", "/v1/pools/nope", null, null).statusCode());
      assertEquals(404, send(s, "PUT", "/v1/pools/nope/members/192.0.2.10", "{\"admin\":\"drain\"}", null).statusCode());
      assertEquals(404, send(s, "PUT", "/v1/pools/web/members/192.0.2.99", "{\"admin\":\"drain\"}", null).statusCode());
      assertEquals(404, send(s, "PUT", "/v1/pools/web/members/not-an-ip", "{\"admin\":\"drain\"}", null).statusCode());
      for (String[] c : new String[][] {
          {"{\"admin\":", "body"}, {"[1]", "body"}, {"{}", "admin"}, {"{\"admin\":\"off\"}", "admin"},
          {"{\"weight\":1001}", "weight"}, {"{\"weight\":1.5}", "weight"}, {"{\"weight\":\"3\"}", "weight"},
          {"{\"admin\":\"drain\",\"expires\":\"soon\"}", "expires"},
          {"{\"admin\":\"drain\",\"reason\":\"a\\nb\"}", "reason"},
          {"{\"admin\":\"drain\",\"colour\":\"red\"}", "colour"}}) {
        var r = send(s, "PUT", m, c[0], null);
        assertEquals(400, r.statusCode(), c[0] + " -> " + r.body());
        assertTrue(((String) json(r).get("error")).startsWith(c[1]), c[0] + " -> " + r.body());
      }
      assertEquals(405, send(s, "POST", m, "{}", null).statusCode());
      assertNull(json(send(s, "GET", "/v1/pools/web", null, null)).get("override"));
      assertEquals(Set.of("192.0.2.10", "192.0.2.11", "192.0.2.12"), served(s, "www.pool.test.", 5));
    }
  }

  @Test
  void aChangeBelowMinServingIs409AndChangesNothing(@TempDir Path dir) throws Exception {
    try (TestServer s = start(dir, Map.of())) {
      var r = send(s, "PUT", "/v1/pools/pair/members/192.0.2.20", "{\"admin\":\"down\"}", null);
      assertEquals(409, r.statusCode(), r.body());
      assertTrue(r.body().contains("min-serving of 2"), r.body());
      assertEquals(Set.of("192.0.2.20", "192.0.2.21"), served(s, "pair.pool.test.", 8));
      // the default min-serving of 1: two of three may go, the last may not
      assertEquals(200, send(s, "PUT", "/v1/pools/web/members/192.0.2.10", "{\"admin\":\"drain\"}", null).statusCode());
      assertEquals(200, send(s, "PUT", "/v1/pools/web/members/192.0.2.11", "{\"admin\":\"down\"}", null).statusCode());
      assertEquals(409, send(s, "PUT", "/v1/pools/web/members/192.0.2.12", "{\"weight\":0}", null).statusCode());
      assertEquals(Set.of("192.0.2.12"), served(s, "www.pool.test.", 5));
      // bringing one back is always allowed
      assertEquals(200, send(s, "DELETE", "/v1/pools/web/members/192.0.2.11", null, null).statusCode());
      assertEquals(Set.of("192.0.2.11", "192.0.2.12"), served(s, "www.pool.test.", 5));
    }
  }

  @Test
  void anExpiredOverrideGivesBackTheFilesValueWithinASecond(@TempDir Path dir) throws Exception {
    ManualTicker ticker = new ManualTicker(java.time.Instant.now());
    try (TestServer s = start(dir, Map.of(), ticker)) {
      assertEquals(200, send(s, "PUT", "/v1/pools/web/members/192.0.2.10",
          "{\"admin\":\"drain\",\"expires\":\"1s\"}", null).statusCode());
      // time stands still until the test moves it: drained, however slow the machine
      assertFalse(served(s, "www.pool.test.", 6).contains("192.0.2.10"));
      ticker.advance(Duration.ofMillis(999));
      assertFalse(served(s, "www.pool.test.", 6).contains("192.0.2.10"), "expired early");
      ticker.advance(Duration.ofMillis(2));
      // the expiry pass runs every 250 ms: restored within that, 5 s for a busy machine
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (!served(s, "www.pool.test.", 1).contains("192.0.2.10")) {
        assertTrue(System.nanoTime() < deadline, "still drained 5 s after its expiry");
        Thread.sleep(20);
      }
      assertNull(json(send(s, "GET", "/v1/pools/web", null, null)).get("override"));
      assertTrue(s.server().metrics().render()
          .contains("dnslb_admin_changes_total{pool=\"web\",action=\"expired\"} 1"));
    }
  }

  @Test
  void overridesSurviveARestartThroughTheStateFile(@TempDir Path dir) throws Exception {
    Path state = dir.resolve("dnslb-state.json");
    try (TestServer s = start(dir, Map.of())) {
      assertEquals(200, send(s, "PUT", "/v1/pools/web/members/192.0.2.11",
          "{\"admin\":\"down\",\"reason\":\"disk\"}", null).statusCode());
      assertTrue(Files.readString(state).contains("\"admin\":\"down\""));
    }
    try (TestServer s = start(dir, Map.of())) {
      assertEquals(Set.of("192.0.2.10", "192.0.2.12"), served(s, "www.pool.test.", 5));
      Map<?, ?> m = (Map<?, ?>) ((List<?>) json(send(s, "GET", "/v1/pools/web", null, null))
          .get("members")).get(1);
      assertEquals("disk", ((Map<?, ?>) m.get("override")).get("reason"));
    }
    try (var files = Files.list(dir)) {
      assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")), "temporary file left behind");
    }
  }

  @Test
  void withATokenFileWritesNeedATokenAndTheAuditNamesIt(@TempDir Path dir) throws Exception {
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "# operators\nalice:0123456789abcdef-alice\n0123456789abcdef-bare\n");
    try (TestServer s = start(dir, Map.of("admin.token-file", tokens.toString(),
        "admin.protect-reads", true))) {
      String m = "/v1/pools/web/members/192.0.2.10";
      assertEquals(401, send(s, "PUT", m, "{\"admin\":\"drain\"}", null).statusCode());
      assertEquals(401, send(s, "PUT", m, "{\"admin\":\"drain\"}", "wrong-token-wrong-token").statusCode());
      var ok = send(s, "PUT", m, "{\"admin\":\"drain\"}", "0123456789abcdef-alice");
      assertEquals(200, ok.statusCode(), ok.body());
      assertEquals("alice", ((Map<?, ?>) json(ok).get("override")).get("by"));
      var bare = send(s, "PUT", m, "{\"weight\":2}", "0123456789abcdef-bare");
      assertEquals("127.0.0.1", ((Map<?, ?>) json(bare).get("override")).get("by"));
      // protect-reads: reads need it too, except /healthz
      assertEquals(401, send(s, "GET", "/v1/pools", null, null).statusCode());
      assertEquals(401, send(s, "GET", "/status", null, null).statusCode());
      assertEquals(401, send(s, "GET", "/metrics", null, null).statusCode());
      assertEquals(200, send(s, "GET", "/healthz", null, null).statusCode());
      assertEquals(200, send(s, "GET", "/status", null, "0123456789abcdef-alice").statusCode());
    }
  }

  @Test
  void aNonLoopbackHttpListenerWithoutTokenFileRefusesToStart(@TempDir Path dir) {
    ConfigError e = assertThrows(ConfigError.class, () -> Settings.load(null,
        Map.of("zones", dir.toString(), "http.listen", "0.0.0.0:8053")));
    assertTrue(e.getMessage().contains("dnslb.admin.token-file must be set"), e.getMessage());
  }
}
