package io.dnslb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.observe.BuildInfo;
import io.dnslb.testing.DnsClient;
import io.dnslb.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * What an operator sees of a running server, over its real HTTP endpoint after real DNS queries:
 * per-member answer counts (fast and general path), in-rotation and admin gauges, the reload
 * gauges, and /status with version, in_rotation and the admin state's source.
 */
class OperatorViewE2ETest {
  @TempDir Path dir;

  private static String get(java.net.InetSocketAddress http, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + http.getPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static double metric(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    assertTrue(m.find(), series + " missing in\n" + text);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void metricsAndStatusShowWhatTheAnswersContain() throws Exception {
    try (TestServer s = TestServer.in(dir).set("http.listen", "127.0.0.1:0")
        .file("a.test.zone", ReloadE2ETest.zone("a.test.", ""))
        .file("a.test.pools.conf", """
            pools { web {
              names = ["www.a.test."]
              policy = weighted
              members = [
                { address = "192.0.2.1", weight = 3 }
                { address = "192.0.2.2", weight = 1 }
                { address = "192.0.2.3", admin = drain }
              ]
            } }
            """).start()) {
      DnsClient c = s.client();
      int sent = 0;
      for (int answered = 0; answered < 40; sent++) {
        try {
          c.udp("www.a.test.", Type.A); // the fast path
          answered++;
        } catch (java.net.SocketTimeoutException slowMachine) {
          // counted by the server all the same, if it answered late: see the bounds below
        }
      }
      for (int i = 0; i < 10; i++, sent++) {
        c.tcp("www.a.test.", Type.A); // TCP takes the same pipeline; counted alike
      }
      var http = s.server().httpAddress();
      String metrics = get(http, "/metrics");
      double one = metric(metrics, "dnslb_member_answers_total{pool=\"web\",member=\"192.0.2.1\"}");
      double two = metric(metrics, "dnslb_member_answers_total{pool=\"web\",member=\"192.0.2.2\"}");
      assertTrue(one + two >= 50 && one + two <= sent, one + two + " of " + sent + "\n" + metrics);
      assertEquals(0, metric(metrics, "dnslb_member_answers_total{pool=\"web\",member=\"192.0.2.3\"}"));
      assertEquals(1, metric(metrics, "dnslb_member_in_rotation{pool=\"web\",member=\"192.0.2.1\"}"));
      assertEquals(0, metric(metrics, "dnslb_member_in_rotation{pool=\"web\",member=\"192.0.2.3\"}"));
      assertEquals(1, metric(metrics,
          "dnslb_member_admin_state{pool=\"web\",member=\"192.0.2.3\",state=\"drain\"}"));
      assertEquals(0, metric(metrics, "dnslb_pool_failing_open{pool=\"web\"}"));
      assertEquals(1, metric(metrics, "dnslb_config_last_reload_successful"));
      assertTrue(metrics.contains("rcode=\"NOERROR\""), metrics);
      assertEquals(1, metric(metrics, "dnslb_build_info{version=\"" + BuildInfo.VERSION
          + "\",java=\"" + BuildInfo.JAVA + "\"}"));

      String status = get(http, "/status");
      assertTrue(status.startsWith("{\"version\":\"" + BuildInfo.VERSION + "\""), status);
      assertTrue(status.contains("\"address\":\"192.0.2.3\",\"weight\":1,\"priority\":1,"
          + "\"admin\":\"drain\""), status);
      assertTrue(status.contains("\"in_rotation\":false,\"admin_source\":\""
          + dir.resolve("a.test.pools.conf") + ":7\""), status);

      // a broken edit: the gauge says so until a good one
      Files.writeString(dir.resolve("a.test.pools.conf"), "pools { web { ttl = 20 } }\n");
      assertTrue(!s.server().reload().ok());
      assertEquals(0, metric(get(http, "/metrics"), "dnslb_config_last_reload_successful"));
    }
  }
}
