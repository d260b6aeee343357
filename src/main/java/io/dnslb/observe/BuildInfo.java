package io.dnslb.observe;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What build is running: the version Maven wrote into {@code build.properties}, and the Java
 * runtime. Shown by {@code --version}, in the start line, in {@code /status} and as
 * {@code dnslb_build_info}, so that "which version is that server on" needs no shell.
 */
public final class BuildInfo {
  public static final String VERSION = load();
  public static final String JAVA = System.getProperty("java.runtime.version",
      System.getProperty("java.version", "unknown"));

  private BuildInfo() {}

  /** {@code dnslb 0.1.0 (Java 17.0.15+6)}. */
  public static String line() {
    return "dnslb " + VERSION + " (Java " + JAVA + ")";
  }

  private static String load() {
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
