package io.dnslb.observe.http;

import io.dnslb.json.Json;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code dnslb explain NAME [TYPE] [--client ADDR] [--ecs PREFIX] [--http ADDR:PORT] [--json]}:
 * asks a running server's {@code /v1/explain} and prints its explanation, or the raw JSON.
 */
public final class ExplainClient {
  public static final String USAGE = "usage: dnslb explain NAME [A|AAAA] [--client ADDR] [--ecs PREFIX] "
      + "[--http ADDR:PORT] [--json]";

  private ExplainClient() {}

  /** Asks {@code target}'s /v1/explain and prints the answer; the flags are parsed in cli. */
  public static int explain(String target, String name, String type, String client, String ecs,
      boolean json, PrintStream out, PrintStream err) {
    URI uri;
    try {
      StringBuilder q = new StringBuilder("name=").append(encode(name));
      if (type != null) {
        q.append("&type=").append(encode(type));
      }
      if (client != null) {
        q.append("&client=").append(encode(client));
      }
      if (ecs != null) {
        q.append("&ecs=").append(encode(ecs));
      }
      uri = ApiClient.uri(target, "/v1/explain?" + q);
    } catch (IllegalArgumentException e) {
      err.println("explain: --http " + target + ": " + e.getMessage() + "; " + USAGE);
      return 2;
    }
    ApiClient.Reply resp;
    try {
      resp = ApiClient.get(uri);
    } catch (ApiClient.Unreachable e) {
      err.println("explain: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    if (json) {
      out.println(resp.body());
      return resp.status() == 200 ? 0 : 1;
    }
    try {
      Map<?, ?> doc = (Map<?, ?>) Json.parse(resp.body());
      if (resp.status() != 200) {
        err.println("explain: " + doc.get("error"));
        return resp.status() == 400 ? 2 : 1;
      }
      for (Object line : (List<?>) doc.get("lines")) {
        out.println(line);
      }
      return 0;
    } catch (RuntimeException e) {
      err.println("explain: unexpected answer from " + uri + " (HTTP " + resp.status() + ")");
      return 1;
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
