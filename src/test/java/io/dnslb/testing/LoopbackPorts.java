package io.dnslb.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for the external servers tests start (knotd, Unbound). */
public final class LoopbackPorts {
  private LoopbackPorts() {}

  /**
   * A port free for UDP and TCP at once, for a server that binds both. It can still be taken
   * before the server binds it: callers start the server again on another when it exits at once.
   */
  public static int freeUdpAndTcp() throws IOException {
    while (true) {
      try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        int port = udp.getLocalPort();
        try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
          return port;
        } catch (IOException takenForTcp) {
          // try another
        }
      }
    }
  }
}
