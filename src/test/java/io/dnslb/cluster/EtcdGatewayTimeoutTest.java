package io.dnslb.cluster;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A member that answers its headers and then stalls the body must not hold the caller. */
class EtcdGatewayTimeoutTest {

  @Test
  void aBodyThatNeverEndsIsATimeoutNotAHang() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      Thread member = new Thread(() -> {
        try (Socket s = server.accept()) {
          InputStream in = s.getInputStream();
          byte[] buf = new byte[4096];
          in.read(buf); // the request; its content does not matter here
          OutputStream out = s.getOutputStream();
          out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
              + "Content-Length: 100000\r\n\r\n{\"kvs\":[").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          done.await(30, TimeUnit.SECONDS); // and never the rest
        } catch (IOException | InterruptedException ignored) {
          // the test is over
        }
      });
      member.setDaemon(true);
      member.start();
      EtcdGateway gateway = new EtcdGateway(
          List.of("http://127.0.0.1:" + server.getLocalPort()), Duration.ofMillis(500));
      long t0 = System.nanoTime();
      assertThrows(IOException.class, () -> gateway.range("/dnslb/", new long[1]));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      // Bound: the 500 ms timeout plus generous slack for a busy machine; before the fix the
      // call waited for the member (30 s here, forever in production).
      assertTrue(ms < 15_000, "range took " + ms + " ms");
    } finally {
      done.countDown();
    }
  }
}
