package io.dnslb.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * /v1/explain and {@code dnslb explain} against the real server: what they say is what the DNS
 * answer then is (sticky with ECS, round-robin's next order, a CNAME to a pool), with the
 * reasons members are out (drained, down with the probe's reason).
 */
class ExplainE2ETest {
  static final String ZONE = HealthE2ETest.ZONE + "alias IN CNAME api\n";

  @TempDir Path dir;

  @Test
  void explainMatchesTheDnsAnswerAndSaysWhyMembersAreOut() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.53"))) {
      closed = s.getLocalPort();
    }
    String pools = "pools {\n"
        + "  app {\n    names = [\"app.e2e.test.\"]\n    policy = sticky\n    members = [\n"
        + "      { address = \"192.0.2.10\" }, { address = \"192.0.2.11\", weight = 3 }, { address = \"192.0.2.12\" }\n"
        + "    ]\n  }\n"
        + "  api {\n    names = [\"api.e2e.test.\"]\n    policy = round-robin\n    ttl = 15s\n    members = [\n"
        + "      { address = \"192.0.2.20\" }, { address = \"192.0.2.21\" }, { address = \"192.0.2.22\", admin = drain }\n"
        + "      { address = \"127.0.0.53\", check { type = tcp, port = " + closed + ", interval = 1s, timeout = 500ms } }\n"
        + "    ]\n  }\n}\n";
    try (TestServer s = TestServer.in(dir).file("e2e.test.zone", ZONE)
        .file("e2e.test.pools.conf", pools).set("http.listen", "127.0.0.1:0").start()) {
      InetSocketAddress http = s.server().httpAddress();

      String sticky = get(http, "/v1/explain?name=app.e2e.test.&type=A&client=198.51.100.9&ecs=203.0.113.0/24");
      Message viaDns = Polling.retried(() -> s.client().udp(withEcs("app.e2e.test.", "203.0.113.0", 24)));
      assertEquals(addresses(viaDns).get(0), field(sticky, "answer"), sticky);
      assertTrue(sticky.contains("\"ecs_scope\":24"), sticky);
      assertTrue(sticky.contains("rank 1 for this client's /24"), sticky);
      assertEquals(24, ((ClientSubnetOption) ((OPTRecord) viaDns.getSection(Section.ADDITIONAL).get(0))
          .getOptions(EDNSOption.Code.CLIENT_SUBNET).get(0)).getScopePrefixLength());

      for (String name : List.of("api.e2e.test.", "alias.e2e.test.")) {
        String rr = get(http, "/v1/explain?name=" + name);
        List<String> answer = addresses(Polling.retried(() -> s.client().udp(name, Type.A)));
        assertEquals(String.join(",", answer), field(rr, "answer"), rr);
        assertTrue(rr.contains("\"ttl\":15,"), rr);
        assertTrue(rr.contains("admin drain: probed, never answered"), rr);
        assertTrue(rr.matches("(?s).*down since [^\"]* \\(connect refused\\).*"), rr);
      }

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int rc = io.dnslb.cli.Cli.run(new String[] {"explain", "api.e2e.test.", "--http",
          "127.0.0.1:" + http.getPort()}, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      String text = out.toString(StandardCharsets.UTF_8);
      assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
      assertTrue(text.contains("pool api ") && text.contains("next answer: ")
          && text.contains("TTL 15 s: the pool's fixed ttl 15s"), text);
      String next = text.lines().filter(l -> l.startsWith("next answer: ")).findFirst().orElseThrow();
      List<String> answer = addresses(Polling.retried(() -> s.client().udp("api.e2e.test.", Type.A)));
      assertEquals("next answer: " + String.join(" ", answer), next);

      out.reset();
      err.reset();
      rc = io.dnslb.cli.Cli.run(new String[] {"explain", "api.e2e.test.", "MX", "--http",
          "127.0.0.1:" + http.getPort()}, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(2, rc);
      assertEquals("explain: type must be A or AAAA (pools answer addresses only)\n",
          err.toString(StandardCharsets.UTF_8));
      String page = get(http, "/");
      assertTrue(page.contains("<title>dnslb</title>"), page);
    }
  }

  static String get(InetSocketAddress http, String path) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + http.getPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return r.body();
  }

  /** The strings of a top-level JSON array field, comma-joined. */
  static String field(String json, String key) {
    int i = json.indexOf("\"" + key + "\":[");
    int end = json.indexOf(']', i);
    return json.substring(i + key.length() + 4, end).replace("\"", "");
  }

  static Message withEcs(String name, String address, int prefix) throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    q.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(
        new ClientSubnetOption(prefix, InetAddress.getByName(address)))), Section.ADDITIONAL);
    return q;
  }

  static List<String> addresses(Message m) {
    List<String> out = new ArrayList<>();
    for (Record r : m.getSection(Section.ANSWER)) {
      if (r instanceof ARecord a) {
        out.add(a.getAddress().getHostAddress());
      }
    }
    return out;
  }
}
