package io.dnslb.cli;

import io.dnslb.dnssec.Algorithms;
import io.dnslb.dnssec.KeyFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.xbill.DNS.Name;

/** {@code dnslb keygen ZONE}: makes a BIND-format key pair for signing a zone. */
final class KeygenCommand {
  static final String HELP = String.join("\n",
      "usage: dnslb keygen ZONE [--algorithm ecdsap256sha256|ed25519] [--zsk] [--keys DIR]",
      "",
      "Writes K<zone>+<alg>+<tag>.key and .private (mode 600) into the keys directory, as",
      "dnssec-keygen does, and prints the .key file's path. The key is a combined signing key",
      "(flags 257: signs everything, its DS goes to the parent) unless --zsk (flags 256).",
      "",
      "  --algorithm A   ecdsap256sha256 (13, default) or ed25519 (15)",
      "  --zsk           a zone-signing key, beside a key-signing key (KSK + ZSK)",
      "  --keys DIR      keys directory (default: zones/keys)");

  private KeygenCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) throws UsageError {
    Flags f = Flags.parse("keygen", args, Set.of("--algorithm", "--keys", "--zone"),
        Set.of("--zsk"));
    if (f.answered(out, HELP)) {
      return 0;
    }
    Name zone = ZoneArgument.zone("keygen", f);
    String a = f.has("--algorithm") ? f.last("--algorithm") : "ecdsap256sha256";
    int alg = Algorithms.parse(a);
    if (alg < 0) {
      throw new UsageError("keygen: unknown algorithm '" + a + "' (ecdsap256sha256 or ed25519)");
    }
    Path dir = Path.of(f.has("--keys") ? f.last("--keys") : "zones/keys");
    try {
      out.println(KeyFiles.generate(dir, zone, alg, !f.has("--zsk"), 3600, Instant.now()));
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println(dir + ": cannot write the key: " + e.getMessage());
      return 1;
    }
  }
}
