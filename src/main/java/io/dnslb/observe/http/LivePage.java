package io.dnslb.observe.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The live page served at {@code GET /}: one self-contained HTML file in the jar
 * ({@code live.html} beside this class), no build step, no framework, no external assets. It
 * polls {@code /status} every second and asks {@code /v1/explain} from its explain box.
 */
final class LivePage {
  private static final String HTML = load();

  private LivePage() {}

  static String html() {
    return HTML;
  }

  private static String load() {
    try (InputStream in = LivePage.class.getResourceAsStream("live.html")) {
      if (in == null) {
        throw new IllegalStateException("live.html missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
