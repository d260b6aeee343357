package io.dnslb.cli;

import io.dnslb.observe.http.ApiClient;
import io.dnslb.observe.http.ExplainClient;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code dnslb explain}: why a running server answers a name as it does, from /v1/explain. */
final class ExplainCommand {
  static final String HELP = String.join("\n",
      ExplainClient.USAGE,
      "",
      "Asks a running dnslb which answer it would give this client now, and why: the pool, its",
      "policy, every member with its health, admin state and effective weight and why it is in",
      "or out, the ECS scope and the TTL with its reason.",
      "Exit status 0 explained, 1 server unreachable or a bad answer, 2 bad flags or name.",
      "",
      "  --client ADDR      the resolver's source address (default: none given)",
      "  --ecs PREFIX       an EDNS Client Subnet such as 203.0.113.0/24",
      "  --http ADDR:PORT   the server's HTTP endpoint (default: 127.0.0.1:8053)",
      "  --json             print the server's JSON instead of the text");

  private static final Set<String> WITH_VALUE = Set.of("--http", "--client", "--ecs");

  private ExplainCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) throws UsageError {
    List<String> positional = new ArrayList<>();
    Flags f = Flags.parse("explain", args, WITH_VALUE, Set.of("--json"), positional);
    if (f.answered(out, HELP)) {
      return 0;
    }
    if (positional.isEmpty()) {
      throw new UsageError("explain: which name? " + ExplainClient.USAGE);
    }
    if (positional.size() > 2) {
      throw new UsageError("explain: unexpected argument " + positional.get(2) + "; "
          + ExplainClient.USAGE);
    }
    return ExplainClient.explain(f.has("--http") ? f.last("--http") : ApiClient.DEFAULT_TARGET,
        positional.get(0), positional.size() > 1 ? positional.get(1) : null, f.last("--client"),
        f.last("--ecs"), f.has("--json"), out, err);
  }
}
