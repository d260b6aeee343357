package io.dnslb.app;

import io.dnslb.config.Addresses;
import io.dnslb.observe.Metrics;
import io.dnslb.query.QueryObserver;
import io.dnslb.time.Ticker;
import io.dnslb.wire.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Counts every query in the metrics and, when the query log is on, logs one line per query. */
final class QueryAccounting implements QueryObserver {
  private static final Logger queryLog = LoggerFactory.getLogger("dnslb.query");
  private static final Logger log = LoggerFactory.getLogger(QueryAccounting.class);

  /** At most one stack trace a minute: a record that fails every query must not flood logs. */
  static final long FAILURE_LOG_EVERY_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);

  private final Metrics metrics;
  private final boolean logQueries;
  private final Ticker ticker;
  private final java.util.concurrent.atomic.AtomicLong nextFailureLog;
  private final java.util.concurrent.atomic.LongAdder unlogged =
      new java.util.concurrent.atomic.LongAdder();

  QueryAccounting(Metrics metrics, boolean logQueries, Ticker ticker) {
    this.metrics = metrics;
    this.logQueries = logQueries;
    this.ticker = ticker;
    this.nextFailureLog = new java.util.concurrent.atomic.AtomicLong(ticker.nanos());
  }

  @Override
  public void answered(boolean tcp, int qtype, int rcode, long nanos, Query q, Message r) {
    metrics.query(tcp ? Metrics.Transport.TCP : Metrics.Transport.UDP, qtype, rcode, nanos);
    if (logQueries) {
      queryLog.info("{} {} {} {} {} {}us", tcp ? "tcp" : "udp",
          q == null ? "-" : q.qname(), q == null ? "-" : Type.string(qtype), Rcode.string(rcode),
          q == null ? "-" : clientOf(q), nanos / 1000);
    }
  }

  @Override
  public boolean detailed() {
    return logQueries;
  }

  private static String clientOf(Query q) {
    try {
      return Addresses.format(java.net.InetAddress.getByAddress(q.client().address()))
          + (q.client().fromEcs() ? "/" + q.client().sourcePrefix() + "(ecs)" : "");
    } catch (java.net.UnknownHostException e) {
      return "?";
    }
  }

  @Override
  public void failed(RuntimeException e) {
    // A bug, not a client's fault: worth a stack trace, but one a minute, with a count of the
    // rest (each also went out as an error rcode, counted in dnslb_queries_total).
    long now = ticker.nanos();
    long next = nextFailureLog.get();
    if (now - next >= 0 && nextFailureLog.compareAndSet(next, now + FAILURE_LOG_EVERY_NANOS)) {
      log.error("query path failed; the client got an error rcode ({} more failures since the"
          + " last of these lines)", unlogged.sumThenReset(), e);
    } else {
      unlogged.increment();
    }
  }
}
