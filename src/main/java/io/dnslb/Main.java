package io.dnslb;

import io.dnslb.cli.Cli;

/** Entry point of {@code java -jar dnslb.jar}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = Cli.run(args, System.out, System.err);
    if (code != 0 || (args.length > 0 && !"serve".equals(args[0]))) {
      System.exit(code);
    }
  }
}
