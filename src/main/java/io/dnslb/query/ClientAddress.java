package io.dnslb.query;

import io.dnslb.wire.Wire;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The source address of one query, reused from query to query by one thread: a transport that
 * reads raw socket addresses (the native UDP loop) fills it without creating an
 * {@link InetAddress}; one is made only when something asks for it ({@link #inet()}: the general
 * path's decoder, response rate limiting, IPv6 clients of a client-aware policy). The pooled fast
 * path reads an IPv4 source as an int, so a pooled answer allocates nothing even for sticky or
 * topology pools.
 */
public final class ClientAddress {
  private static final int NONE = 0;
  private static final int V4 = 4;
  private static final int V6 = 6;

  private int family;
  private int ipv4;
  private final byte[] ipv6 = new byte[16];
  /** Given by the transport, or made on demand; null until then. */
  private InetAddress inet;

  /** Takes an address a transport already has (Netty, TCP); null means unknown. */
  public ClientAddress set(InetAddress address) {
    inet = address;
    if (address instanceof Inet4Address) {
      family = V4;
      ipv4 = address.hashCode(); // Inet4Address.hashCode is the address, and allocates nothing
    } else if (address != null) {
      family = V6; // its bytes are read from the InetAddress when asked for (ipv6Copy)
    } else {
      family = NONE;
    }
    return this;
  }

  /** An IPv4 source, the address in network order as an int (a.b.c.d = a << 24 | ...). */
  public void setIpv4(int address) {
    family = V4;
    ipv4 = address;
    inet = null;
  }

  /** An IPv6 source: the caller has written its 16 bytes into {@link #ipv6Bytes()}. */
  public void setIpv6() {
    family = V6;
    inet = null;
  }

  /** The buffer an IPv6 source is written into before {@link #setIpv6()}. */
  public byte[] ipv6Bytes() {
    return ipv6;
  }

  /** A fresh copy of the 16 bytes of an IPv6 source. */
  public byte[] ipv6Copy() {
    return inet != null ? inet.getAddress() : ipv6.clone();
  }

  public boolean known() {
    return family != NONE;
  }

  public boolean isIpv4() {
    return family == V4;
  }

  /** The IPv4 source as an int; meaningful when {@link #isIpv4()}. */
  public int ipv4() {
    return ipv4;
  }

  /** The source as an InetAddress, made once per query when first asked for; null if unknown. */
  public InetAddress inet() {
    if (inet == null && family != NONE) {
      try {
        byte[] bytes;
        if (family == V4) {
          bytes = new byte[4];
          Wire.putU32(bytes, 0, ipv4);
        } else {
          bytes = ipv6.clone();
        }
        inet = InetAddress.getByAddress(bytes);
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e); // only thrown for a wrong length
      }
    }
    return inet;
  }
}
