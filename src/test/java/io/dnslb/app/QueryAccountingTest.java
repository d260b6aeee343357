package io.dnslb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dnslb.observe.Metrics;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class QueryAccountingTest {
  /**
   * A record that fails every query (the red team's 3 s of them made 14 MB of stack traces)
   * logs one stack trace a minute.
   */
  @Test
  void aFailureOnEveryQueryLogsOneStackTraceAMinute() {
    Logger logger = (Logger) LoggerFactory.getLogger(QueryAccounting.class);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    logger.addAppender(events);
    try {
      QueryAccounting accounting = new QueryAccounting(new Metrics(), false);
      for (int i = 0; i < 10_000; i++) {
        accounting.failed(new IllegalStateException("record too large"));
      }
      assertEquals(1, events.list.size());
      assertEquals("record too large", events.list.get(0).getThrowableProxy().getMessage());
    } finally {
      logger.detachAppender(events);
    }
  }
}
