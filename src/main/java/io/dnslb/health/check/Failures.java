package io.dnslb.health.check;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.NotSslRecordException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;

/** Turns a socket-level exception into the short reason operators read in logs and /status. */
final class Failures {
  private Failures() {}

  static String reason(Throwable t, long timeoutMillis) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c
        && !(c instanceof ConnectException) && !(c instanceof SSLException)) {
      c = c.getCause();
    }
    if (c instanceof ConnectTimeoutException) {
      return "timeout after " + timeoutMillis + " ms";
    }
    if (c instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (c instanceof ConnectException) {
      String m = String.valueOf(c.getMessage());
      return m.contains("refused") ? "connect refused" : "connect failed: " + m;
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
