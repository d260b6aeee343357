package io.dnslb.cli;

import io.dnslb.config.ConfigError;
import io.dnslb.dnssec.DnssecDirectory;
import io.dnslb.dnssec.KeyFiles;
import io.dnslb.dnssec.SigningKey;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.xbill.DNS.Name;

/** {@code dnslb ds ZONE}: the DS records of a zone's key-signing keys, for the parent. */
final class DsCommand {
  static final String HELP = String.join("\n",
      "usage: dnslb ds ZONE [--keys DIR] [--ttl SECONDS]",
      "",
      "Prints one DS record (SHA-256) per published key-signing or combined key (flags 257)",
      "of the zone, ready to give to the parent zone's operator or registrar.",
      "",
      "  --keys DIR      keys directory (default: zones/keys)",
      "  --ttl SECONDS   TTL to print (default 3600)");

  private DsCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) throws UsageError {
    Flags f = Flags.parse("ds", args, Set.of("--keys", "--ttl", "--zone"), Set.of());
    if (f.answered(out, HELP)) {
      return 0;
    }
    Name zone = ZoneArgument.zone("ds", f);
    long ttl;
    try {
      ttl = f.has("--ttl") ? Long.parseLong(f.last("--ttl")) : 3600;
    } catch (NumberFormatException e) {
      throw new UsageError("ds: --ttl needs a number of seconds");
    }
    Path dir = Path.of(f.has("--keys") ? f.last("--keys") : "zones/keys");
    try {
      Instant now = Instant.now();
      int printed = 0;
      for (SigningKey k : KeyFiles.load(dir, zone, dir.toString(), 0)) {
        if (k.sep() && k.published(now)) {
          out.println(DnssecDirectory.ds(zone, k, ttl));
          printed++;
        }
      }
      if (printed == 0) {
        err.println(dir + ": no published key-signing key (flags 257) for " + zone);
        return 1;
      }
      return 0;
    } catch (ConfigError e) {
      err.println(e.getMessage());
      return 1;
    }
  }
}
