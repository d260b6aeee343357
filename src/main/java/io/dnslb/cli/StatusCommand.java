package io.dnslb.cli;

import io.dnslb.observe.http.ApiClient;
import io.dnslb.observe.http.StatusClient;
import java.io.PrintStream;
import java.util.Set;

/** {@code dnslb status}: pools and members of a running server, from its {@code /status}. */
final class StatusCommand {
  static final String HELP = String.join("\n",
      "usage: dnslb status [--http ADDR:PORT] [--watch]",
      "",
      "Shows every pool of a running dnslb and, per member, whether the next answer can contain",
      "it (IN ROTATION), its health and admin state and why, from the server's HTTP endpoint.",
      "Exit status 0 shown, 1 server unreachable or a bad answer, 2 bad flags.",
      "",
      "  --http ADDR:PORT   the server's HTTP endpoint (default: 127.0.0.1:8053)",
      "  --watch            redraw every second until interrupted");

  private StatusCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err, boolean colour)
      throws UsageError {
    Flags f = Flags.parse("status", args, Set.of("--http"), Set.of("--watch"));
    if (f.answered(out, HELP)) {
      return 0;
    }
    String target = f.has("--http") ? f.last("--http") : ApiClient.DEFAULT_TARGET;
    try {
      StatusClient.statusUri(target);
    } catch (IllegalArgumentException e) {
      throw new UsageError("status: --http " + target + ": " + e.getMessage());
    }
    return StatusClient.show(target, f.has("--watch"), out, err, colour);
  }
}
