package io.dnslb.health.check;

import io.dnslb.health.ProbeResult;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.NotSslRecordException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;

/** Turns a socket-level exception into the short reason operators read in logs and /status. */
final class Failures {
  private Failures() {}

  /**
   * The failed result for a socket exception. Refused and unreachable are unambiguous (the
   * kernel or a router said no; {@code fast-fail} acts on them at once); everything else, a
   * timeout above all, may be a slow backend and only counts toward {@code fall}.
   */
  static ProbeResult result(Throwable t, long timeoutMillis, long latencyNanos) {
    String reason = reason(t, timeoutMillis);
    boolean unambiguous = reason.equals("connect refused") || reason.endsWith("unreachable")
        || reason.equals("no route to host");
    return unambiguous ? ProbeResult.refused(reason, latencyNanos)
        : ProbeResult.fail(reason, latencyNanos);
  }

  /** A probe that did not finish within its timeout: counts toward {@code fall} only. */
  static ProbeResult timeout(long timeoutMillis, long latencyNanos) {
    return ProbeResult.fail(timeoutReason(timeoutMillis), latencyNanos);
  }

  private static String timeoutReason(long timeoutMillis) {
    return "timeout after " + timeoutMillis + " ms";
  }

  static String reason(Throwable t, long timeoutMillis) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c
        && !(c instanceof ConnectException) && !(c instanceof SSLException)) {
      c = c.getCause();
    }
    if (c instanceof ConnectTimeoutException) {
      return timeoutReason(timeoutMillis);
    }
    if (c instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (c instanceof ConnectException) {
      String m = String.valueOf(c.getMessage()).toLowerCase(java.util.Locale.ROOT);
      if (m.contains("refused")) {
        return "connect refused";
      }
      if (m.contains("network is unreachable")) {
        return "network unreachable";
      }
      if (m.contains("host is unreachable") || m.contains("no route")) {
        return "host unreachable";
      }
      return "connect failed: " + c.getMessage();
    }
    if (c instanceof NotSslRecordException) {
      return "TLS: peer did not answer with TLS";
    }
    if (c instanceof SSLException) {
      return "TLS: " + firstLine(c.getMessage());
    }
    if (c instanceof ClosedChannelException) {
      return "connection closed";
    }
    return c.getClass().getSimpleName() + ": " + firstLine(c.getMessage());
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
