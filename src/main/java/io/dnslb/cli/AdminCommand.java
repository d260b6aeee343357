package io.dnslb.cli;

import io.dnslb.json.Json;
import io.dnslb.observe.http.AdminTokens;
import io.dnslb.observe.http.ApiClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code dnslb admin}: changes members of a running server (or fleet) through its admin API, and
 * lists them. Exit 0 done, 1 refused or unreachable (with the server's reason), 2 usage.
 */
final class AdminCommand {
  static final String HELP = String.join("\n",
      "usage: dnslb admin drain|undrain|down|up POOL ADDRESS [options]",
      "       dnslb admin weight POOL ADDRESS N [options]",
      "       dnslb admin list [POOL] [--http ADDR:PORT] [--token-file F]",
      "",
      "Changes a member at runtime, over the HTTP endpoint's admin API (/v1/pools). The change",
      "beats the pool file and health, survives restarts (state file, or etcd in a fleet), and",
      "is logged with who made it. 'undrain' removes every override of the member.",
      "",
      "  drain       keep probing it, never answer it",
      "  down        never answer it",
      "  up          answer it whatever its health says",
      "  weight N    use weight N (0..1000) instead of the file's",
      "  undrain     back to the file's values",
      "  list        every member: file values, override, own and fleet health",
      "",
      "  --reason TEXT        why, for the audit log and status",
      "  --expires DURATION   undo by itself after 90s, 30m, 12h or 7d",
      "  --http ADDR:PORT     the server's HTTP endpoint (default: 127.0.0.1:8053)",
      "  --token-file F       send the first token in F (see dnslb.admin.token-file)");
  private static final Set<String> WITH_VALUE = Set.of("--reason", "--expires", "--http", "--token-file");

  private AdminCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) throws UsageError {
    List<String> positional = new ArrayList<>();
    Flags f = Flags.parse("admin", args, WITH_VALUE, Set.of("--help", "-h"), positional);
    if (f.has("--help") || f.has("-h")) {
      out.println(HELP);
      return 0;
    }
    if (positional.isEmpty()) {
      throw new UsageError("admin: say what to do: drain, undrain, down, up, weight or list "
          + "(try: dnslb admin --help)");
    }
    String action = positional.get(0);
    String target = f.has("--http") ? f.last("--http") : ApiClient.DEFAULT_TARGET;
    try {
      ApiClient.uri(target, "/");
    } catch (IllegalArgumentException e) {
      throw new UsageError("admin: --http " + target + ": " + e.getMessage());
    }
    String token = f.has("--token-file") ? token(Path.of(f.last("--token-file")), err) : null;
    if (f.has("--token-file") && token == null) {
      return 1;
    }
    switch (action) {
      case "list" -> {
        if (positional.size() > 2 || f.has("--reason") || f.has("--expires")) {
          throw new UsageError("admin: list takes at most a pool (try: dnslb admin --help)");
        }
        String path = positional.size() == 2 ? "/v1/pools/" + enc(positional.get(1)) : "/v1/pools";
        return call(ApiClient.uri(target, path), "GET", null, token, out, err, true);
      }
      case "drain", "down", "up", "undrain", "weight" -> {
        boolean weight = action.equals("weight");
        if (positional.size() != (weight ? 4 : 3)) {
          throw new UsageError("admin: " + action + " takes POOL ADDRESS" + (weight ? " N" : "")
              + " (try: dnslb admin --help)");
        }
        String path = "/v1/pools/" + enc(positional.get(1)) + "/members/" + enc(positional.get(2));
        if (action.equals("undrain")) {
          return call(ApiClient.uri(target, path), "DELETE", null, token, out, err, false);
        }
        StringBuilder body = new StringBuilder("{");
        if (weight) {
          try {
            body.append("\"weight\":").append(Integer.parseInt(positional.get(3)));
          } catch (NumberFormatException e) {
            throw new UsageError("admin: weight N must be a whole number, not '"
                + positional.get(3) + "'");
          }
        } else {
          body.append("\"admin\":\"").append(action).append('"');
        }
        if (f.has("--reason")) {
          Json.string(body.append(",\"reason\":"), f.last("--reason"));
        }
        if (f.has("--expires")) {
          Json.string(body.append(",\"expires\":"), f.last("--expires"));
        }
        return call(ApiClient.uri(target, path), "PUT", body.append('}').toString(), token, out, err, false);
      }
      default -> throw new UsageError("admin: unknown action '" + action
          + "' (drain, undrain, down, up, weight or list)");
    }
  }

  private static int call(URI uri, String method, String body, String token, PrintStream out,
      PrintStream err, boolean list) {
    ApiClient.Reply resp;
    try {
      resp = ApiClient.send(uri, method, body, token);
    } catch (ApiClient.Unreachable e) {
      err.println("admin: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    Object doc;
    try {
      doc = Json.parse(resp.body());
    } catch (RuntimeException e) {
      err.println("admin: HTTP " + resp.status() + " from " + uri + ": " + resp.body().strip());
      return 1;
    }
    if (resp.status() != 200) {
      Object why = doc instanceof Map<?, ?> m ? m.get("error") : resp.body();
      err.println("admin: refused (HTTP " + resp.status() + "): " + why);
      return 1;
    }
    Map<?, ?> m = (Map<?, ?>) doc;
    if (!list) {
      out.print(AdminTable.members(List.of(m)));
    } else if (m.containsKey("pools")) {
      for (Object p : (List<?>) m.get("pools")) {
        out.print(AdminTable.pool((Map<?, ?>) p));
      }
    } else {
      out.print(AdminTable.pool(m));
    }
    return 0;
  }

  /** The first token of a token file, read as the server reads it ({@link AdminTokens}). */
  private static String token(Path file, PrintStream err) {
    try {
      return AdminTokens.first(file);
    } catch (IOException e) {
      err.println("admin: " + e.getMessage());
      return null;
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":");
  }
}
