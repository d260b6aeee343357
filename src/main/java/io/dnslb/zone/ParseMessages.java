package io.dnslb.zone;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dnsjava's parse errors in our words: its messages name its own internals ("wanted EOL/EOF, got
 * &lt;identifier: IN&gt;", "processing disabled in strict mode"), which tell an operator little.
 * Each known one becomes what is wrong and, where a usual mistake causes it, how to write it.
 * Unknown messages pass through unchanged.
 */
final class ParseMessages {
  private static final String ORDER = " (a record is NAME [TTL] [CLASS] TYPE DATA)";

  private record Rule(Pattern pattern, String replacement) {}

  private static final List<Rule> RULES = List.of(
      rule("unexpected tokens at end of record \\(wanted EOL/EOF, got <\\w+: (.*)>\\)",
          "unexpected '$1' after the end of the record" + ORDER),
      rule("Invalid address: (IN|CH|CHAOS|HS|ANY)", "'$1' where the address should be" + ORDER),
      rule("Invalid address: (.*)", "'$1' is not a valid address for this record type"),
      rule("Invalid type '(.*)'", "unknown record type '$1'" + ORDER),
      rule("\\$INCLUDE encountered, but processing disabled in strict mode",
          "\\$INCLUDE is not supported: put every record of the zone in its own file"),
      rule("expected an? (\\d+) bit unsigned integer", "expected a number that fits in $1 bits"),
      rule("expected an integer", "expected a number"),
      rule("expected an address", "the record has no address"),
      rule("expected a TTL(-like)? value", "expected a TTL such as 300 or 5m"),
      rule("newline in quoted string", "a quoted string is not closed on its line"),
      rule("invalid close parenthesis", "a ')' without its '('"),
      rule("EOF in quoted string", "a quoted string is not closed before the end of the file"));

  private ParseMessages() {}

  private static Rule rule(String regex, String replacement) {
    return new Rule(Pattern.compile(regex), replacement);
  }

  static String ours(String dnsjava) {
    for (Rule r : RULES) {
      Matcher m = r.pattern.matcher(dnsjava);
      if (m.matches()) {
        return m.replaceAll(r.replacement);
      }
    }
    return dnsjava;
  }
}
