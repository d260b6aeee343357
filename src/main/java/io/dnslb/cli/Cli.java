package io.dnslb.cli;

import io.dnslb.observe.BuildInfo;
import java.io.PrintStream;
import java.util.Arrays;

/** Dispatches {@code dnslb <command> …} and maps outcomes to exit codes (0 ok, 1 failed, 2 usage). */
public final class Cli {
  static final String USAGE = String.join("\n",
      "usage: dnslb <command> [options]",
      "",
      "commands:",
      "  serve   answer DNS for the zones and pools in a directory",
      "  check   validate the zones and pools in a directory and exit",
      "  status  show pools and members of a running server (from its /status)",
      "  admin   drain, undrain, down, up or reweight a member of a running server; list them",
      "  explain why a running server answers a name as it does (from its /v1/explain)",
      "  demo    watch health-driven balancing on one machine (three local backends)",
      "  keygen  make a DNSSEC signing key for a zone (BIND format)",
      "  ds      print the DS records of a zone's keys, for the parent zone",
      "",
      "Run 'dnslb <command> --help' for the options of one command; --version (also after",
      "any command) prints the version.");

  private Cli() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println(USAGE);
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      switch (args[0]) {
        case "serve":
          return ServeCommand.run(rest, out, err);
        case "check":
          return CheckCommand.run(rest, out, err);
        case "demo":
          return DemoCommand.run(rest, out, err);
        case "keygen":
          return KeygenCommand.run(ZoneArgument.normalise(rest), out, err);
        case "ds":
          return DsCommand.run(ZoneArgument.normalise(rest), out, err);
        case "status":
          return StatusCommand.run(rest, out, err, out == System.out && System.console() != null);
        case "admin":
          return AdminCommand.run(rest, out, err);
        case "explain":
          return ExplainCommand.run(rest, out, err);
        case "help":
        case "--help":
        case "-h":
          out.println(USAGE);
          return 0;
        case "version":
        case "--version":
          out.println(BuildInfo.line());
          return 0;
        default:
          throw new UsageError("unknown command '" + args[0] + "' (try: dnslb --help)");
      }
    } catch (UsageError e) {
      err.println("dnslb " + e.getMessage());
      return 2;
    }
  }
}
