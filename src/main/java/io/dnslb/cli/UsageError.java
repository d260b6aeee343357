package io.dnslb.cli;

/** A bad command line: printed as one line, exit status 2. */
final class UsageError extends Exception {
  UsageError(String message) {
    super(message);
  }
}
