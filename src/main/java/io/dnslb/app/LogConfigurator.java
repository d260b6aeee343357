package io.dnslb.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;

/**
 * dnslb's logging set up in code, found by logback through the service loader: one console
 * appender, text lines or JSON lines as {@code dnslb.log.format} says, the root at
 * {@code dnslb.log.level} (INFO), Netty at WARN. The same as a logback.xml would say, without
 * logback's XML configurator, which cost about a third of a second of CPU at every start and
 * {@code check} (XML parser, model handlers, JNDI probe). A file given with
 * {@code -Dlogback.configurationFile=…} still wins: logback then reads it as usual.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
  static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY) != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    // Logback's own chatter is not for operators.
    NopStatusListener quiet = new NopStatusListener();
    context.getStatusManager().add(quiet);
    String format = System.getProperty("dnslb.log.format", "text");
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName(format);
    console.setEncoder(format.equals("json") ? json(context) : text(context));
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(System.getProperty("dnslb.log.level"), Level.INFO));
    root.addAppender(console);
    context.getLogger("io.netty").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static Encoder<ILoggingEvent> text(LoggerContext context) {
    PatternLayoutEncoder e = new PatternLayoutEncoder();
    e.setContext(context);
    e.setPattern(TEXT_PATTERN);
    e.start();
    return e;
  }

  private static Encoder<ILoggingEvent> json(LoggerContext context) {
    JsonEncoder e = new JsonEncoder();
    e.setContext(context);
    e.setWithSequenceNumber(false);
    e.setWithNanoseconds(false);
    e.setWithContext(false);
    e.setWithMDC(false);
    e.setWithKVPList(false);
    e.setWithArguments(false);
    e.setWithMessage(false);
    e.setWithFormattedMessage(true);
    e.start();
    return e;
  }
}
