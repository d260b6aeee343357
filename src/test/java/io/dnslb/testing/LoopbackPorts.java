package io.dnslb.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Free loopback ports for the external servers tests start (knotd, Unbound, etcd, dnslb). */
public final class LoopbackPorts {
  /*
   * Below Linux's default ephemeral range (32768-60999): a port the kernel hands out to any
   * outgoing connection (an etcd member dialling its peers, a health probe, another test's
   * client) can be taken between our check and the server's bind; ports chosen here are only
   * ever taken by a listener that asks for them by number. FleetE2ETest's etcd member failed to
   * start so, twice in twelve runs, while a benchmark made 10,000 connections a second.
   */
  private static final int LOW = 20_000;
  private static final int HIGH = 32_767;

  private LoopbackPorts() {}

  /**
   * A port free for UDP and TCP at once, for a server that binds both. It can still be taken
   * before the server binds it: callers start the server again on another when it exits at once.
   */
  public static int freeUdpAndTcp() throws IOException {
    InetAddress lo = InetAddress.getLoopbackAddress();
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOW, HIGH + 1);
      try (DatagramSocket udp = new DatagramSocket(port, lo);
          ServerSocket tcp = new ServerSocket(port, 1, lo)) {
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free loopback port in " + LOW + "-" + HIGH);
  }
}
