package io.dnslb.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Parses listen addresses: {@code 127.0.0.1:5300}, {@code [::1]:5300}, {@code 0.0.0.0:53}. */
public final class HostPort {
  private HostPort() {}

  /**
   * A listen address: an IP literal and a port (0: any free one). Never looks a name up.
   *
   * @throws IllegalArgumentException with what is wrong, naming the text
   */
  public static InetSocketAddress parse(String text) {
    Target t = target(text);
    if (!isLiteral(t.host())) {
      throw new IllegalArgumentException("'" + t.host() + "' is not an IP address literal");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(t.host()), t.port());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bad address '" + text + "'");
    }
  }

  /**
   * A host (name or literal, IPv6 without its brackets) and a port, as ADDR:PORT spells them.
   */
  public record Target(String host, int port) {
    /** {@code host:port}, IPv6 in brackets: as a URI authority. */
    public String authority() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /**
   * The one ADDR:PORT syntax, for listen addresses and for the endpoint the commands talk to:
   * {@code host:port}, IPv6 as {@code [addr]:port}; the port 0-65535.
   *
   * @throws IllegalArgumentException with what is wrong, naming the text
   */
  public static Target target(String text) {
    String host;
    String port;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("bad address '" + text + "' (want [IPv6]:PORT)");
      }
      host = text.substring(1, close);
      port = text.substring(close + 2);
    } else {
      int colon = text.lastIndexOf(':');
      if (colon <= 0 || text.indexOf(':') != colon) {
        throw new IllegalArgumentException(
            "bad address '" + text + "' (want ADDR:PORT, IPv6 as [ADDR]:PORT)");
      }
      host = text.substring(0, colon);
      port = text.substring(colon + 1);
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in '" + text + "'");
    }
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException("port out of range in '" + text + "'");
    }
    return new Target(host, p);
  }

  /** True for IPv4 dotted quads and IPv6 literals; never triggers a DNS lookup. */
  public static boolean isLiteral(String host) {
    if (host.contains(":")) {
      return host.matches("[0-9A-Fa-f:.]+(%\\w+)?");
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (!part.matches("\\d{1,3}") || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  public static String format(InetSocketAddress a) {
    String host = Addresses.format(a.getAddress());
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
