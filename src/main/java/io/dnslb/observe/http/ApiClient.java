package io.dnslb.observe.http;

import io.dnslb.config.HostPort;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The one HTTP client of the commands that talk to a running server ({@code status},
 * {@code explain}, {@code admin}): one ADDR:PORT rule ({@link HostPort#target}), one set of
 * timeouts, one wording for a server that cannot be reached.
 */
public final class ApiClient {
  /** Where a server's HTTP endpoint listens unless told otherwise (reference.conf's default). */
  public static final String DEFAULT_TARGET = "127.0.0.1:8053";
  /** A local or LAN endpoint connects at once; this is for a loaded machine. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
  /** A whole request: an admin write in a fleet waits for etcd, which has its own bound. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

  private ApiClient() {}

  /** A reply: its HTTP status and body. */
  public record Reply(int status, String body) {}

  /** No reply came; the message says why, to be printed after the command's name. */
  public static final class Unreachable extends IOException {
    Unreachable(String message) {
      super(message);
    }
  }

  /**
   * The endpoint at ADDR:PORT (a name or an IP literal; IPv6 as {@code [addr]:port}) with this
   * path and query.
   *
   * @throws IllegalArgumentException what is wrong with the target
   */
  public static URI uri(String target, String pathAndQuery) {
    HostPort.Target t = HostPort.target(target);
    if (t.port() == 0) {
      throw new IllegalArgumentException("port not in 1-65535 in '" + target + "'");
    }
    return URI.create("http://" + t.authority() + pathAndQuery);
  }

  /**
   * Sends one request and reads the whole reply.
   *
   * @param body a JSON body, or null for none
   * @param token sent as a bearer token, or null
   */
  public static Reply send(URI uri, String method, String body, String token)
      throws Unreachable, InterruptedException {
    HttpRequest.Builder r = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      r.header("Content-Type", "application/json");
    }
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> resp = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(resp.statusCode(), resp.body());
    } catch (ConnectException e) {
      throw new Unreachable("cannot reach " + uri + ": connection refused (is dnslb serving its "
          + "HTTP endpoint there?)");
    } catch (HttpTimeoutException e) {
      throw new Unreachable(uri + " timed out");
    } catch (IOException e) {
      throw new Unreachable("cannot reach " + uri + ": " + e);
    }
  }

  /** A GET without a token. */
  public static Reply get(URI uri) throws Unreachable, InterruptedException {
    return send(uri, "GET", null, null);
  }
}
