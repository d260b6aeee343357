package io.dnslb.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import org.slf4j.LoggerFactory;

/** Switches the log rendering (text or JSON lines) once the settings are known. */
public final class LogFormat {
  private LogFormat() {}

  public static void apply(String format) {
    if (format.equals(System.getProperty("dnslb.log.format", "text"))) {
      return;
    }
    System.setProperty("dnslb.log.format", format);
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.reset();
      try {
        new ContextInitializer(context).autoConfig();
      } catch (Exception e) {
        throw new IllegalStateException("cannot reconfigure logging", e);
      }
    }
  }
}
