package io.dnslb.cli;

import io.dnslb.app.Server;
import io.dnslb.config.ConfigError;
import io.dnslb.config.HostPort;
import io.dnslb.config.Settings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code dnslb demo}: health-driven balancing on one machine, no Docker. Starts three small
 * HTTP backends on 127.0.0.11-13, serves a pool over them, and lets the user stop, start and
 * break backends from the keyboard while watching the DNS answers change.
 */
final class DemoCommand {
  static final String HELP = String.join("\n",
      "usage: dnslb demo [--dns ADDR:PORT] [--http ADDR:PORT] [--port N]",
      "",
      "Starts three HTTP backends on 127.0.0.11, .12 and .13 (port 8080, or --port), and dnslb",
      "serving www.demo.test from a round-robin pool over them with HTTP health checks every",
      "second. Then type 'stop 2', 'start 2', 'fail 2' (answer 503), 'heal 2', 'list' or 'quit'.",
      "",
      "  --dns ADDR:PORT    DNS listen address (default 127.0.0.1:5300)",
      "  --http ADDR:PORT   status endpoint (default 127.0.0.1:8053)",
      "  --port N           the backends' HTTP port (default 8080)");

  private static final String ZONE = String.join("\n",
      "$ORIGIN demo.test.",
      "$TTL 60",
      "@    SOA ns hostmaster 1 3600 600 86400 5",
      "@    NS  ns",
      "ns   A   127.0.0.1",
      "");

  private DemoCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) throws UsageError {
    Flags f = Flags.parse("demo", args, Set.of("--dns", "--http", "--port"), Set.of());
    if (f.answered(out, HELP)) {
      return 0;
    }
    String dns = f.has("--dns") ? f.last("--dns") : "127.0.0.1:5300";
    String http = f.has("--http") ? f.last("--http") : "127.0.0.1:8053";
    int port;
    try {
      HostPort.parse(dns);
      HostPort.parse(http);
      port = Integer.parseInt(f.has("--port") ? f.last("--port") : "8080");
    } catch (IllegalArgumentException e) {
      throw new UsageError("demo: " + e.getMessage());
    }
    List<DemoBackend> backends = new ArrayList<>();
    Server server = null;
    try {
      Path dir = Files.createTempDirectory("dnslb-demo");
      dir.toFile().deleteOnExit();
      StringBuilder members = new StringBuilder();
      for (int i = 1; i <= 3; i++) {
        String address = "127.0.0." + (10 + i);
        DemoBackend b = new DemoBackend(new InetSocketAddress(address, port));
        b.start();
        backends.add(b);
        members.append("      { address = \"").append(address).append("\" }\n");
      }
      Files.writeString(dir.resolve("demo.test.zone"), ZONE);
      Files.writeString(dir.resolve("demo.pools.conf"), "pools {\n  www {\n"
          + "    names = [\"www.demo.test.\"]\n    policy = round-robin\n    ttl = 5s\n"
          + "    check { type = http, port = " + port + ", path = \"/\", interval = 1s,"
          + " timeout = 900ms, rise = 2, fall = 2 }\n"
          + "    members = [\n" + members + "    ]\n  }\n}\n");
      for (Path p : List.of(dir.resolve("demo.test.zone"), dir.resolve("demo.pools.conf"))) {
        p.toFile().deleteOnExit();
      }
      Map<String, Object> overrides = new HashMap<>();
      overrides.put("zones", dir.toString());
      overrides.put("dns.listen", List.of(dns));
      overrides.put("http.listen", http);
      server = new Server(Settings.load(null, overrides));
      server.start();
    } catch (IOException | ConfigError | InterruptedException | RuntimeException e) {
      err.println("dnslb demo: cannot start: " + e.getMessage()
          + " (the demo needs 127.0.0.11-13, which Linux loopback has; try --port if "
          + port + " is taken)");
      backends.forEach(DemoBackend::stop);
      if (server != null) {
        server.close();
      }
      return 1;
    }
    InetSocketAddress d = HostPort.parse(dns);
    out.println();
    out.println("dnslb demo: www.demo.test balances over three backends, checked every second.");
    out.println("In another terminal, watch the answers and the health view:");
    out.println("  dig @" + d.getAddress().getHostAddress() + " -p " + d.getPort()
        + " www.demo.test +short");
    out.println("  java -jar target/dnslb.jar status --http " + http + " --watch");
    out.println("Commands: stop N | start N | fail N | heal N | list | quit   (N = 1, 2 or 3)");
    try {
      interact(backends, out);
    } finally {
      server.close();
      backends.forEach(DemoBackend::stop);
    }
    return 0;
  }

  private static void interact(List<DemoBackend> backends, PrintStream out) {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    while (true) {
      out.print("> ");
      out.flush();
      String line;
      try {
        line = in.readLine();
      } catch (IOException e) {
        return;
      }
      if (line == null || line.trim().equals("quit")) {
        return;
      }
      String[] words = line.trim().split("\\s+");
      if (words[0].equals("list") || words[0].isEmpty()) {
        for (int i = 0; i < backends.size(); i++) {
          out.println("  " + (i + 1) + ": " + backends.get(i).describe());
        }
        continue;
      }
      int n;
      try {
        n = Integer.parseInt(words.length > 1 ? words[1] : "x");
      } catch (NumberFormatException e) {
        n = 0;
      }
      if (n < 1 || n > backends.size()) {
        out.println("  usage: stop N | start N | fail N | heal N | list | quit");
        continue;
      }
      DemoBackend b = backends.get(n - 1);
      try {
        switch (words[0]) {
          case "stop" -> b.stop();
          case "start" -> b.start();
          case "fail" -> b.fail(true);
          case "heal" -> b.fail(false);
          default -> {
            out.println("  unknown command: " + words[0]);
            continue;
          }
        }
      } catch (IOException e) {
        out.println("  cannot start backend " + n + ": " + e.getMessage());
        continue;
      }
      out.println("  " + n + ": " + b.describe()
          + " (the DNS answers follow within about 2 seconds)");
    }
  }
}
