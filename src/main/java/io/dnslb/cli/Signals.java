package io.dnslb.cli;

import sun.misc.Signal;

/** POSIX signal handling through the JDK's supported-but-unofficial {@code sun.misc.Signal}. */
final class Signals {
  private Signals() {}

  /** Runs the action on each delivery of the named signal ("TERM", "INT", "HUP"). */
  static void on(String name, Runnable action) {
    try {
      Signal.handle(new Signal(name), s -> action.run());
    } catch (IllegalArgumentException e) {
      // Not on this platform (HUP on Windows): the signal just keeps its default meaning.
    }
  }
}
