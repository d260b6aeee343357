package io.dnslb.e2e;

import static io.dnslb.e2e.HealthE2ETest.warmed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live page in a real browser: headless Chromium (Debian package {@code chromium}) loads
 * {@code GET /} from the running server, lets its scripts fetch /status, and dumps the DOM.
 * With every backend up no row is red; after one backend stops, its row is. Skipped, loudly,
 * where Chromium is not installed ({@code .ci/run} installs it).
 */
class LivePageChromiumTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final String NAME = "www.e2e.test.";

  @TempDir Path dir;

  @Test
  void theRowOfAStoppedBackendTurnsDown() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
        "SKIPPED LOUDLY: /usr/bin/chromium is absent; apt-get install chromium to run the live page test");
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.61"))) {
      port = probe.getLocalPort();
    }
    String pools = "pools {\n  web {\n    names = [\"" + NAME + "\"]\n    policy = weighted\n"
        + "    slow-start = 30s\n"
        + "    check { type = http, port = " + port + ", interval = 500ms, timeout = 300ms }\n"
        + "    members = [{ address = \"127.0.0.61\", weight = 3 }, { address = \"127.0.0.62\" },"
        + " { address = \"127.0.0.63\", admin = drain }]\n  }\n}\n";
    try (HttpBackend b1 = HttpBackend.start("127.0.0.61", port);
        HttpBackend b2 = HttpBackend.start("127.0.0.62", port);
        HttpBackend b3 = HttpBackend.start("127.0.0.63", port);
        HttpBackend warmed = warmed(b1, b2, b3);
        TestServer s = TestServer.in(dir).file("e2e.test.zone", HealthE2ETest.ZONE)
            .file("e2e.test.pools.conf", pools).set("http.listen", "127.0.0.1:0").start()) {
      InetSocketAddress http = s.server().httpAddress();
      Polling.until(System.nanoTime(), s, NAME, a -> a.equals(Set.of("127.0.0.61")) || a.equals(Set.of("127.0.0.62")),
          20_000, "members up");
      String dom = dump(http);
      assertEquals("up", rowHealth(dom, "127.0.0.61"), dom);
      assertEquals("up", rowHealth(dom, "127.0.0.62"), dom);
      assertTrue(dom.contains("pool web"), dom);
      assertTrue(!dom.contains("class=\"member down"), "no red row while all are up\n" + dom);

      b2.stop();
      for (int q = 0; q < 200; q++) { // wait until the server has it down (fast-fail: next probe)
        if ("down".equals(AutoTtlE2ETest.health(s, "web", 1))) {
          break;
        }
        Thread.sleep(50);
      }
      dom = dump(http);
      assertEquals("down", rowHealth(dom, "127.0.0.62"), dom);
      assertTrue(dom.contains("connect refused"), "the reason is shown\n" + dom);
      assertEquals("up", rowHealth(dom, "127.0.0.61"), dom);
    }
  }

  /** The health class of the member row for an address in the dumped DOM. */
  static String rowHealth(String dom, String address) {
    Matcher m = Pattern.compile("<tr class=\"member (\\w+)[^\"]*\" data-address=\"" + Pattern.quote(address) + "\"")
        .matcher(dom);
    return m.find() ? m.group(1) : "no row for " + address;
  }

  /** Chromium loads the page, runs its scripts (the /status fetch included), prints the DOM. */
  static String dump(InetSocketAddress http) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("dnslb-chromium");
    Path out = Files.createTempFile("dnslb-dom", ".html");
    try {
      Process p = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
          "--disable-gpu", "--disable-background-networking", "--disable-component-update",
          "--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
          "--virtual-time-budget=5000", "--dump-dom", "http://127.0.0.1:" + http.getPort() + "/"))
          .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("chromium did not finish in 90 s");
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(out);
      try (var walk = Files.walk(profile)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
