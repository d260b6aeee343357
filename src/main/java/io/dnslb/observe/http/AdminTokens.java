package io.dnslb.observe.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The tokens of {@code dnslb.admin.token-file}: one per line, {@code name:token} or a bare token
 * (blank lines and {@code #} comments skipped). The name is who the audit log says made a change;
 * a bare token's caller is named by its address instead.
 */
public final class AdminTokens {
  private record Token(String name, byte[] secret) {}

  private final List<Token> tokens;

  private AdminTokens(List<Token> tokens) {
    this.tokens = tokens;
  }

  /** Reads the file; an empty file or a too-short token is an error, never "no auth". */
  public static AdminTokens load(Path file) throws IOException {
    List<Token> tokens = new ArrayList<>();
    int lineNo = 0;
    for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNo++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      String name = colon < 0 ? null : line.substring(0, colon).strip();
      String secret = colon < 0 ? line : line.substring(colon + 1).strip();
      if (secret.length() < 16 || (name != null && name.isEmpty())) {
        throw new IOException(file + ":" + lineNo + ": want name:token or a token of at least "
            + "16 characters");
      }
      tokens.add(new Token(name, secret.getBytes(StandardCharsets.UTF_8)));
    }
    if (tokens.isEmpty()) {
      throw new IOException(file + ": no tokens");
    }
    return new AdminTokens(List.copyOf(tokens));
  }

  /**
   * The first token of a token file, for a client to send ({@code dnslb admin --token-file}): the
   * file read by the same rules as the server's.
   */
  public static String first(Path file) throws IOException {
    return new String(load(file).tokens.get(0).secret(), StandardCharsets.UTF_8);
  }

  /**
   * Who an {@code Authorization} header authenticates: the token's name, the empty string for a
   * bare token (the caller's address names it then), or null when it matches no token. Compared
   * in constant time.
   */
  String who(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    String match = null;
    for (Token t : tokens) {
      if (MessageDigest.isEqual(t.secret(), given) && match == null) {
        match = t.name() == null ? "" : t.name();
      }
    }
    return match;
  }
}
