package io.dnslb.pool;

import io.dnslb.config.ConfigError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Refuses {@code } {} on one line. HOCON merges two blocks written side by side without a comma
 * into one, so {@code members = [ { address = "a" } { address = "b" } ]} is ONE member, "b":
 * a pool that silently loses members. Typesafe Config leaves no trace of the merge in what it
 * returns, so the text is scanned (outside strings and comments) before it is trusted.
 */
final class BlockConcatenation {
  private BlockConcatenation() {}

  static void check(Path file, List<ConfigError> errors) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException | RuntimeException e) {
      return; // unreadable or not UTF-8: Typesafe Config has reported it already
    }
    check(file.toString(), text, errors);
  }

  static void check(String file, String text, List<ConfigError> errors) {
    int line = 1;
    boolean afterClose = false; // a '}' was the last token on this line
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
        afterClose = false;
      } else if (c == '"') {
        int end = skipString(text, i);
        line += (int) text.substring(i, Math.min(end + 1, text.length())).chars()
            .filter(ch -> ch == '\n').count();
        i = end;
        afterClose = false;
      } else if (c == '#' || (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/')) {
        while (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
          i++;
        }
      } else if (c == '}') {
        afterClose = true;
      } else if (c == '{' && afterClose) {
        errors.add(new ConfigError(file, line, "two blocks side by side without a comma are merged "
            + "into one by HOCON (a list of members would lose all but the last): put a comma "
            + "between them or each on its own line"));
        afterClose = false;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        afterClose = false;
      }
    }
  }

  /** The index of the closing quote of the string starting at {@code start} (also """…"""). */
  private static int skipString(String text, int start) {
    if (text.startsWith("\"\"\"", start)) {
      int end = text.indexOf("\"\"\"", start + 3);
      return end < 0 ? text.length() : end + 2;
    }
    for (int i = start + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"' || c == '\n') {
        return i;
      }
    }
    return text.length();
  }
}
