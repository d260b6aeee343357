package io.dnslb.observe.http;

import io.dnslb.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/**
 * The client side of {@code dnslb status}: reads {@code /status} and prints pools and members as
 * a table. Colour only on a terminal; watching redraws every second until interrupted. The
 * command line is parsed in the cli package, like every command's.
 */
public final class StatusClient {
  private final URI uri;
  private final PrintStream out;
  private final boolean colour;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  StatusClient(URI uri, PrintStream out, boolean colour) {
    this.uri = uri;
    this.out = out;
    this.colour = colour;
  }

  /**
   * Shows the status of the server whose HTTP endpoint is {@code target}, once or every second.
   *
   * @return 0 shown, 1 unreachable or a bad answer
   * @throws IllegalArgumentException a target that is not ADDR:PORT
   */
  public static int show(String target, boolean watch, PrintStream out, PrintStream err,
      boolean colour) {
    StatusClient client = new StatusClient(statusUri(target), out, colour);
    if (!watch) {
      return client.showOnce(err);
    }
    try {
      while (!Thread.currentThread().isInterrupted()) {
        if (colour) {
          out.print("\033[H\033[2J"); // home and clear, so the table redraws in place
        }
        client.showOnce(err);
        out.flush();
        Thread.sleep(1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** Accepts {@code host:port} or {@code [v6]:port}. */
  public static URI statusUri(String target) {
    int colon = target.lastIndexOf(':');
    if (colon <= 0 || colon == target.length() - 1) {
      throw new IllegalArgumentException("want ADDR:PORT");
    }
    String host = target.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(target.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port is not a number");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port not in 1-65535");
    }
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port + "/status");
  }

  private int showOnce(PrintStream err) {
    String body;
    try {
      HttpResponse<String> resp = http.send(
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() != 200) {
        err.println("status: " + uri + " answered HTTP " + resp.statusCode());
        return 1;
      }
      body = resp.body();
    } catch (ConnectException e) {
      err.println("status: cannot reach " + uri + ": connection refused (is dnslb serving its HTTP endpoint?)");
      return 1;
    } catch (HttpTimeoutException e) {
      err.println("status: " + uri + " timed out");
      return 1;
    } catch (IOException e) {
      err.println("status: cannot reach " + uri + ": " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    try {
      out.print(StatusTable.render((Map<?, ?>) Json.parse(body), colour));
      return 0;
    } catch (RuntimeException e) {
      err.println("status: unexpected answer from " + uri + ": " + e.getMessage());
      return 1;
    }
  }
}
