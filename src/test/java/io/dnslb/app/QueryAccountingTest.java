package io.dnslb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dnslb.observe.Metrics;
import io.dnslb.time.ManualTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class QueryAccountingTest {
  /**
   * A record that fails every query (the red team's 3 s of them made 14 MB of stack traces)
   * logs one stack trace a minute, and the next one counts the failures it did not log.
   */
  @Test
  void aFailureOnEveryQueryLogsOneStackTraceAMinute() {
    Logger logger = (Logger) LoggerFactory.getLogger(QueryAccounting.class);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    logger.addAppender(events);
    try {
      ManualTicker ticker = new ManualTicker();
      QueryAccounting accounting = new QueryAccounting(new Metrics(), false, ticker);
      for (int i = 0; i < 10_000; i++) {
        accounting.failed(new IllegalStateException("record too large"));
      }
      assertEquals(1, events.list.size());
      assertEquals("record too large", events.list.get(0).getThrowableProxy().getMessage());
      ticker.advance(Duration.ofSeconds(59));
      accounting.failed(new IllegalStateException("record too large"));
      assertEquals(1, events.list.size(), "a second line within the minute");
      ticker.advance(Duration.ofSeconds(1));
      accounting.failed(new IllegalStateException("record too large"));
      assertEquals(2, events.list.size(), "no line after a minute");
      assertTrue(events.list.get(1).getFormattedMessage().contains("(10000 more failures since"),
          events.list.get(1).getFormattedMessage());
    } finally {
      logger.detachAppender(events);
    }
  }
}
