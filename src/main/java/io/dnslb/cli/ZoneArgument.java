package io.dnslb.cli;

import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** The ZONE of {@code keygen} and {@code ds}, given as {@code --zone ZONE} or first argument. */
final class ZoneArgument {
  private ZoneArgument() {}

  /** Splits a leading bare ZONE off the arguments into {@code --zone ZONE}. */
  static String[] normalise(String[] args) {
    if (args.length > 0 && !args[0].startsWith("-")) {
      String[] out = new String[args.length + 1];
      out[0] = "--zone";
      System.arraycopy(args, 0, out, 1, args.length);
      return out;
    }
    return args;
  }

  static Name zone(String command, Flags f) throws UsageError {
    String z = f.last("--zone");
    if (z == null) {
      throw new UsageError(command + ": which zone? (dnslb " + command + " ZONE)");
    }
    try {
      return Name.fromString(z, Name.root);
    } catch (TextParseException e) {
      throw new UsageError(command + ": '" + z + "' is not a domain name: " + e.getMessage());
    }
  }
}
