package io.dnslb.config;

import com.typesafe.config.ConfigOrigin;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A problem in an input file that an operator must fix, with the place to fix it. The message is
 * always {@code FILE:LINE: what is wrong}, the form editors and CI logs turn into links, or
 * {@code FILE: what is wrong} when the problem is the file as a whole (missing, unreadable).
 */
public final class ConfigError extends Exception {
  private final String file;
  private final int line;
  private final String problem;

  public ConfigError(String file, int line, String problem) {
    super(line > 0 ? file + ":" + line + ": " + problem : file + ": " + problem);
    this.file = file;
    this.line = line;
    this.problem = problem;
  }

  /**
   * An error at the file and line a HOCON value came from. A config parsed from a string has no
   * file; its description ("name: LINE") then stands in for one, without the line.
   */
  public static ConfigError at(ConfigOrigin origin, String problem) {
    String file = origin.filename() != null ? origin.filename()
        : origin.url() != null ? origin.url().toString()
        : origin.description().replaceFirst(": \\d+(-\\d+)?$", "");
    return new ConfigError(file, Math.max(origin.lineNumber(), 0), problem);
  }

  /**
   * One error standing for several: the first, with the others attached as {@linkplain
   * Throwable#getSuppressed() suppressed} errors (in order), for {@link #all()}.
   */
  public static ConfigError all(List<ConfigError> errors) {
    ConfigError first = errors.get(0);
    for (ConfigError e : errors.subList(1, errors.size())) {
      if (e != first) {
        first.addSuppressed(e);
      }
    }
    return first;
  }

  /** This error and every one attached to it, flattened, in order, each once. */
  public List<ConfigError> all() {
    List<ConfigError> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    collect(this, out, seen);
    return out;
  }

  private static void collect(ConfigError e, List<ConfigError> out, Set<String> seen) {
    if (seen.add(e.getMessage())) {
      out.add(e);
    }
    for (Throwable t : e.getSuppressed()) {
      if (t instanceof ConfigError c) {
        collect(c, out, seen);
      }
    }
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  public String problem() {
    return problem;
  }
}
