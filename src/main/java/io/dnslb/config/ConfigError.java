package io.dnslb.config;

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
