package io.dnslb.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dnslb.testing.DnsClient;
import io.dnslb.testing.TestServer;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * The native UDP loop answers a pooled A and a cached static A without allocating: the bytes
 * its threads allocate (the JVM's per-thread counter, independent of load) over 10,000 queries
 * after a warm-up stay near zero. Netty's loop allocates a few hundred bytes per datagram
 * (packet envelope, sender address, buffers), so this fails for any per-datagram object.
 */
class NativeUdpAllocationTest {
  private static final int WARM_UP = 20_000;
  private static final int MEASURED = 10_000;
  /** Per datagram, all loop threads together; the fast path itself is 0 B/op in JMH. */
  private static final double MAX_BYTES_PER_QUERY = 8;

  @TempDir Path dir;

  @Test
  void aPooledOrCachedAnswerAllocatesNothingOnTheLoop() throws Exception {
    assumeTrue("native".equals(System.getProperty("dnslb.dns.udp-transport")),
        "NOT THE NATIVE-UDP TEST RUN (dnslb.dns.udp-transport is not native): this test runs in "
            + "the native-udp profile's execution on JDK 22+");
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(threads.isThreadAllocatedMemorySupported(), "NO PER-THREAD ALLOCATION COUNTER");
    threads.setThreadAllocatedMemoryEnabled(true);
    try (TestServer server = UdpTransportTest.serve(dir, "127.0.0.1:0")) {
      assertEquals("native", server.server().udpTransport());
      byte[][] queries = {
          DnsClient.query("s.t.test.", Type.A).toWire(), // sticky pool: the client's address
          DnsClient.query("www.t.test.", Type.A).toWire()}; // static: the answer cache
      try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        socket.connect(server.address());
        socket.setSoTimeout(5000);
        ask(socket, queries, WARM_UP);
        long[] ids = loopThreadIds();
        long before = allocated(threads, ids);
        ask(socket, queries, MEASURED);
        long bytes = allocated(threads, ids) - before;
        double perQuery = (double) bytes / MEASURED;
        System.out.printf("native UDP loops: %d bytes over %d queries (%.2f B/query)%n", bytes,
            MEASURED, perQuery);
        assertTrue(perQuery <= MAX_BYTES_PER_QUERY, perQuery + " B per query on the loop");
      }
    }
  }

  /** Sends in windows of 8 and reads every answer, checking its ID. */
  private static void ask(DatagramSocket socket, byte[][] queries, int count) throws Exception {
    byte[] in = new byte[4096];
    DatagramPacket reply = new DatagramPacket(in, in.length);
    int window = 8;
    for (int done = 0; done < count; done += window) {
      for (int i = 0; i < window; i++) {
        byte[] q = queries[i % queries.length];
        int id = (done + i) & 0xffff;
        q[0] = (byte) (id >>> 8);
        q[1] = (byte) id;
        socket.send(new DatagramPacket(q, q.length));
      }
      for (int i = 0; i < window; i++) {
        reply.setLength(in.length);
        socket.receive(reply);
        assertEquals(0, in[3] & 0xF, "NOERROR");
        assertTrue((in[7] & 0xFF) >= 1, "an answer record");
      }
    }
  }

  private static long[] loopThreadIds() {
    List<Long> ids = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("dnslb-udp-")) {
        ids.add(t.getId());
      }
    }
    assertFalse(ids.isEmpty(), "no dnslb-udp-* threads");
    return ids.stream().mapToLong(Long::longValue).toArray();
  }

  private static long allocated(com.sun.management.ThreadMXBean threads, long[] ids) {
    long sum = 0;
    for (long b : threads.getThreadAllocatedBytes(ids)) {
      sum += b;
    }
    return sum;
  }
}
