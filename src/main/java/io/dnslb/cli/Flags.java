package io.dnslb.cli;

import io.dnslb.observe.BuildInfo;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one flag parser of every command: {@code --name value} and {@code --name=value}, unknown
 * flags and missing values are usage errors (never ignored), and every command understands
 * {@code --help}, {@code -h} and {@code --version} (see {@link #answered}).
 */
final class Flags {
  /** Understood by every command. */
  static final Set<String> STANDARD = Set.of("--help", "-h", "--version");

  private final Map<String, List<String>> values = new LinkedHashMap<>();

  private Flags() {}

  /**
   * @param withValue flags that take a value
   * @param switches flags that take none
   */
  static Flags parse(String command, String[] args, Set<String> withValue, Set<String> switches)
      throws UsageError {
    return parse(command, args, withValue, switches, null);
  }

  /**
   * @param positional where arguments that are not flags (nor a flag's value) go, in order; null
   *     when the command takes none (then each is an unknown option)
   */
  static Flags parse(String command, String[] args, Set<String> withValue, Set<String> switches,
      List<String> positional) throws UsageError {
    Flags f = new Flags();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (positional != null && !arg.startsWith("-")) {
        positional.add(arg);
        continue;
      }
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if ((switches.contains(name) || STANDARD.contains(name)) && value == null) {
        f.values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
      } else if (withValue.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.length) {
            throw new UsageError(command + ": " + name + " needs a value");
          }
          value = args[++i];
        }
        f.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } else {
        throw new UsageError(command + ": unknown option '" + arg + "' (try: dnslb " + command
            + " --help)");
      }
    }
    return f;
  }

  /**
   * Prints the command's help or the version when asked for.
   *
   * @return true when the command has nothing more to do (exit status 0)
   */
  boolean answered(PrintStream out, String help) {
    if (has("--help") || has("-h")) {
      out.println(help);
      return true;
    }
    if (has("--version")) {
      out.println(BuildInfo.line());
      return true;
    }
    return false;
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  String last(String name) {
    List<String> v = values.get(name);
    return v == null ? null : v.get(v.size() - 1);
  }

  List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }
}
