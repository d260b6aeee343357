package io.dnslb.observe.http;

import io.dnslb.json.Json;
import java.io.PrintStream;
import java.net.URI;
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

  /**
   * The {@code /status} of the endpoint at ADDR:PORT ({@link ApiClient#uri}).
   *
   * @throws IllegalArgumentException a target that is not ADDR:PORT
   */
  public static URI statusUri(String target) {
    return ApiClient.uri(target, "/status");
  }

  private int showOnce(PrintStream err) {
    String body;
    try {
      ApiClient.Reply resp = ApiClient.get(uri);
      if (resp.status() != 200) {
        err.println("status: " + uri + " answered HTTP " + resp.status());
        return 1;
      }
      body = resp.body();
    } catch (ApiClient.Unreachable e) {
      err.println("status: " + e.getMessage());
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
