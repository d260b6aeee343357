package io.dnslb.cli;

import io.dnslb.answer.Catalog;
import io.dnslb.app.CatalogLoader;
import io.dnslb.app.ProbePlan;
import io.dnslb.app.UnreadFiles;
import io.dnslb.config.ConfigError;
import io.dnslb.config.Settings;
import java.io.PrintStream;
import java.util.List;

/** {@code dnslb check}: load everything the server would, report every problem found, exit. */
final class CheckCommand {
  static final String HELP = String.join("\n",
      "usage: dnslb check [--config FILE] [--zones DIR] [--dns ADDR:PORT]... [--http ADDR:PORT|off]",
      "",
      "Validates every *.zone and *.pools.conf file as 'serve' would load them.",
      "Exit status 0 when all is well, 1 with one FILE:LINE: message line per problem",
      "(at most 50; every zone file is tried, a zone file stops at its first error).",
      "",
      "  --config FILE   HOCON settings file (defaults in reference.conf)",
      "  --zones DIR     zones directory (default: ./zones)",
      "  --dns, --http, --debug   as for serve: the listen addresses are checked, so that",
      "                  'check' can run with exactly the arguments of 'serve'");

  /** More errors than this are more likely one mistake repeated than fifty to read. */
  static final int MAX_SHOWN = 50;

  private CheckCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) throws UsageError {
    Flags f = Flags.parse("check", args, ConfigFlags.WITH_VALUE, ConfigFlags.SWITCHES);
    if (f.answered(out, HELP)) {
      return 0;
    }
    try {
      Settings s = ConfigFlags.load(f, ConfigFlags.listenOverrides(f, "check"));
      UnreadFiles.warnings(s.zones()).forEach(w -> err.println("warning: " + w));
      Catalog c = CatalogLoader.load(s.zones());
      ProbePlan.targets(c, s.probesDir()); // parses every check block
      out.println("ok: " + c.zones().zones().size() + " zones, " + c.zones().recordCount()
          + " records, " + c.pools().all().size() + " pools");
      return 0;
    } catch (ConfigError e) {
      List<ConfigError> all = e.all();
      all.stream().limit(MAX_SHOWN).forEach(x -> err.println(x.getMessage()));
      if (all.size() > MAX_SHOWN) {
        err.println("... and " + (all.size() - MAX_SHOWN) + " more");
      }
      if (all.size() > 1) {
        err.println(all.size() + " problems");
      }
      return 1;
    }
  }
}
