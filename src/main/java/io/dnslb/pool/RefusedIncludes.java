package io.dnslb.pool;

import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import java.io.File;
import java.net.URL;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A HOCON includer that refuses every kind of {@code include}: plain, {@code file()}, {@code
 * url()}, {@code classpath()}, required or not. A pool file must not reach outside the zones
 * directory: an include could copy any readable file into {@code /status} and logs, block every
 * reload on a URL that never answers, or read {@code /dev/zero} until memory runs out. Typesafe
 * falls back to its own includer for each kind this class does not implement, so it implements
 * them all.
 */
final class RefusedIncludes implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL,
    ConfigIncluderClasspath {
  /** An {@code include} keyword where a field may start, then what it names. */
  private static final Pattern INCLUDE = Pattern.compile(
      "(?:^|[{,\\s])include\\s*(?:required\\s*\\(\\s*)?(?:file|url|classpath)?\\s*\\(?\\s*\"");

  /** Thrown out of the parser at the first include; the reader turns it into FILE:LINE. */
  static final class Refused extends RuntimeException {
    Refused(String what) {
      super(what, null, false, false);
    }
  }

  @Override
  public ConfigIncluder withFallback(ConfigIncluder fallback) {
    return this; // never fall back to Typesafe's includer
  }

  @Override
  public ConfigObject include(ConfigIncludeContext context, String what) {
    throw new Refused(what);
  }

  @Override
  public ConfigObject includeFile(ConfigIncludeContext context, File what) {
    throw new Refused("file(" + what + ")");
  }

  @Override
  public ConfigObject includeURL(ConfigIncludeContext context, URL what) {
    throw new Refused("url(" + what + ")");
  }

  @Override
  public ConfigObject includeResources(ConfigIncludeContext context, String what) {
    throw new Refused("classpath(" + what + ")");
  }

  /**
   * The line of the first include statement in the text (the parser stops at the first), or 0.
   * Typesafe does not tell an includer where it was called from.
   */
  static int firstIncludeLine(String text) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.startsWith("#") || line.startsWith("//")) {
        continue;
      }
      Matcher m = INCLUDE.matcher(lines[i]);
      if (m.find()) {
        return i + 1;
      }
    }
    return 0;
  }
}
