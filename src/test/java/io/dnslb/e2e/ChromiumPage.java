package io.dnslb.e2e;

import io.dnslb.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One page kept open in headless Chromium, driven over the DevTools protocol on a loopback
 * WebSocket (the JDK's client; Chromium picks a free port and writes it to DevToolsActivePort in
 * its profile). A test evaluates JavaScript in that same live page, so what the page's own
 * scripts did over time can be read back; unlike {@code --dump-dom}, nothing is reloaded.
 */
final class ChromiumPage implements AutoCloseable {
  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final Map<Integer, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();

  private ChromiumPage(Process process, Path profile, WebSocket socket) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
  }

  /** Starts Chromium on url and connects to that page; fails after 90 s. */
  static ChromiumPage open(Path chromium, String url) throws Exception {
    Path profile = Files.createTempDirectory("dnslb-chromium");
    Process p = new ProcessBuilder(List.of(chromium.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-renderer-backgrounding",
        "--disable-background-timer-throttling", "--user-data-dir=" + profile,
        "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", url))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      Path active = profile.resolve("DevToolsActivePort");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      String pageSocket = null;
      HttpClient http = HttpClient.newHttpClient();
      while (pageSocket == null) {
        if (System.nanoTime() > deadline || !p.isAlive()) {
          throw new AssertionError("chromium did not open " + url + " with DevTools within 90 s");
        }
        Thread.sleep(100);
        if (!Files.exists(active)) {
          continue;
        }
        List<String> lines = Files.readAllLines(active);
        if (lines.isEmpty() || lines.get(0).isBlank()) {
          continue;
        }
        String list = http.send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + lines.get(0).trim() + "/json/list")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        for (Object t : (List<?>) Json.parse(list)) {
          Map<?, ?> target = (Map<?, ?>) t;
          if ("page".equals(target.get("type")) && url.equals(target.get("url"))) {
            pageSocket = (String) target.get("webSocketDebuggerUrl");
          }
        }
      }
      ChromiumPage[] self = new ChromiumPage[1];
      WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new WebSocket.Listener() {
        private final StringBuilder part = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
          part.append(data);
          if (last) {
            String message = part.toString();
            part.setLength(0);
            Object id = ((Map<?, ?>) Json.parse(message)).get("id");
            if (id instanceof Double d) {
              CompletableFuture<String> f = self[0].pending.remove(d.intValue());
              if (f != null) {
                f.complete(message);
              }
            }
          }
          w.request(1);
          return null;
        }
      }).get(30, TimeUnit.SECONDS);
      self[0] = new ChromiumPage(p, profile, ws);
      return self[0];
    } catch (Exception | Error e) {
      p.destroyForcibly();
      deleteProfile(profile);
      throw e;
    }
  }

  /**
   * Evaluates a JavaScript expression in the page and returns its value as JSON reads it
   * (numbers as Double, strings, booleans, null; objects as Maps).
   */
  Object evaluate(String expression) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<String> reply = new CompletableFuture<>();
    pending.put(id, reply);
    StringBuilder request = new StringBuilder("{\"id\":").append(id)
        .append(",\"method\":\"Runtime.evaluate\",\"params\":{\"returnByValue\":true,\"expression\":");
    Json.string(request, expression).append("}}");
    synchronized (socket) {
      socket.sendText(request, true).get(30, TimeUnit.SECONDS);
    }
    Map<?, ?> answer = (Map<?, ?>) Json.parse(reply.get(30, TimeUnit.SECONDS));
    Map<?, ?> result = (Map<?, ?>) answer.get("result");
    if (result == null || result.containsKey("exceptionDetails")) {
      throw new AssertionError("evaluating " + expression + " failed: " + answer);
    }
    return ((Map<?, ?>) result.get("result")).get("value");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    socket.abort();
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    deleteProfile(profile);
  }

  private static void deleteProfile(Path profile) throws IOException {
    try (var walk = Files.walk(profile)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
