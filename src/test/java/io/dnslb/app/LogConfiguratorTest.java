package io.dnslb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Logging set up in code gives what the logback.xml it replaced gave. */
class LogConfiguratorTest {
  @AfterEach
  void clearProperties() {
    System.clearProperty("dnslb.log.format");
    System.clearProperty("dnslb.log.level");
    System.clearProperty(ContextInitializer.CONFIG_FILE_PROPERTY);
  }

  private static LoggerContext configured() {
    LoggerContext context = new LoggerContext();
    LogConfigurator c = new LogConfigurator();
    c.setContext(context);
    assertEquals(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, c.configure(context));
    return context;
  }

  @Test
  void textLinesAtInfoWithNettyAtWarn() {
    LoggerContext context = configured();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertEquals(Level.INFO, root.getLevel());
    assertEquals(Level.WARN, context.getLogger("io.netty").getLevel());
    ConsoleAppender<ILoggingEvent> console =
        (ConsoleAppender<ILoggingEvent>) root.getAppender("text");
    assertTrue(console.isStarted());
    PatternLayoutEncoder e = assertInstanceOf(PatternLayoutEncoder.class, console.getEncoder());
    assertEquals(LogConfigurator.TEXT_PATTERN, e.getPattern());
    String line = new String(e.encode(event(context)), StandardCharsets.UTF_8);
    assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S+ INFO  Server - hello\\R"),
        line);
  }

  @Test
  void jsonLinesAndTheLevelFromItsProperty() {
    System.setProperty("dnslb.log.format", "json");
    System.setProperty("dnslb.log.level", "DEBUG");
    LoggerContext context = configured();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertEquals(Level.DEBUG, root.getLevel());
    ConsoleAppender<ILoggingEvent> console =
        (ConsoleAppender<ILoggingEvent>) root.getAppender("json");
    JsonEncoder e = assertInstanceOf(JsonEncoder.class, console.getEncoder());
    String line = new String(e.encode(event(context)), StandardCharsets.UTF_8);
    assertTrue(line.startsWith("{\"timestamp\":") && line.contains("\"level\":\"INFO\"")
        && line.contains("\"formattedMessage\":\"hello\"") && !line.contains("\"message\"")
        && !line.contains("sequenceNumber") && !line.contains("\"context\""), line);
  }

  @Test
  void aConfigurationFileGivenByPropertyWins() {
    System.setProperty(ContextInitializer.CONFIG_FILE_PROPERTY, "/some/logback.xml");
    LoggerContext context = new LoggerContext();
    LogConfigurator c = new LogConfigurator();
    c.setContext(context);
    assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, c.configure(context));
  }

  @Test
  void logbackFindsItThroughTheServiceLoader() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    assertEquals(Level.WARN, context.getLogger("io.netty").getLevel());
  }

  private static ILoggingEvent event(LoggerContext context) {
    Logger logger = context.getLogger("io.dnslb.app.Server");
    return new ch.qos.logback.classic.spi.LoggingEvent(
        Logger.class.getName(), logger, Level.INFO, "hello", null, null);
  }
}
