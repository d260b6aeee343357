package io.dnslb.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.health.check.TestBackend;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolRuntime;
import io.dnslb.testing.TestServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Load reported by the backend, over real HTTP checks: a figure in a header scales the weight,
 * and a backend whose figure follows the share of answers it gets settles instead of
 * oscillating. Time is counted in probe intervals (200 ms here): the dynamics depend on the
 * probes, so 60 intervals stand for a minute at the 1 s interval.
 */
class LoadE2ETest {
  static final String NAME = "www.e2e.test.";
  static final int INTERVAL_MS = 200;
  static EventLoopGroup group;

  @TempDir Path dir;

  @BeforeAll
  static void loops() {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  @AfterAll
  static void stopLoops() {
    group.shutdownGracefully();
  }

  static String pools(int port) {
    return "pools {\n  web {\n    names = [\"" + NAME + "\"]\n    policy = weighted\n"
        + "    check { type = http, port = " + port + ", interval = " + INTERVAL_MS + "ms, timeout = 150ms,"
        + " load { header = \"X-Load\" } }\n"
        + "    members = [{ address = \"127.0.0.71\" }, { address = \"127.0.0.72\" }]\n  }\n}\n";
  }

  @Test
  void aReportedLoadScalesTheWeightAndAFeedbackLoopSettles() throws Exception {
    try (TestBackend busy = new TestBackend(group, "127.0.0.71", 0);
        TestBackend idle = new TestBackend(group, "127.0.0.72", busy.port())) {
      busy.load.set("95");
      try (TestServer s = TestServer.in(dir).file("e2e.test.zone", HealthE2ETest.ZONE)
          .file("e2e.test.pools.conf", pools(busy.port())).start();
          DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        socket.connect(s.address());
        socket.setSoTimeout(1000);
        PoolRuntime pool = pool(s);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (pool.shares()[0] > 0.11 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertEquals(0.1, pool.shares()[0], 1e-9, "load 95 >= high 90: a tenth of the weight");
        double share = busyShare(socket, 4000);
        System.out.printf("[load] reporting 95: %.1f%% of 4000 answers (expected 9.1%%)%n", share * 100);
        assertEquals(0.1 / 1.1, share, 0.04, "busy member's share of answers");

        // Feedback: the busy backend reports 150 × the share of answers it is given (load 75 at an
        // even split), as a backend whose load follows its traffic would. The share is the one the
        // pool's current weights give it, not a count of sampled answers: sampling noise would
        // measure the test's client, not the loop's stability.
        List<Double> weights = new ArrayList<>();
        long next = System.nanoTime();
        for (int interval = 0; interval < 70; interval++) {
          next += INTERVAL_MS * 1_000_000L;
          while (System.nanoTime() < next) {
            double[] w = pool.shares();
            busy.load.set(String.valueOf(150 * w[0] / (w[0] + w[1])));
            Thread.sleep(10);
          }
          weights.add(pool.shares()[0]);
        }
        List<Double> after = weights.subList(10, weights.size());
        double mean = after.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        int changes = directionChanges(after, 0.05);
        System.out.printf("[load] feedback: weight share by interval %s%n[load] after 10 intervals: "
            + "mean %.3f, min %.3f, max %.3f, %d direction changes (moves > 5%%) in 60 intervals%n",
            fmt(weights), mean, after.stream().mapToDouble(d -> d).min().orElseThrow(),
            after.stream().mapToDouble(d -> d).max().orElseThrow(), changes);
        for (double w : after) {
          assertTrue(Math.abs(w - mean) <= 0.15, "settled within 10 intervals: " + fmt(weights));
        }
        assertTrue(changes <= 2, changes + " direction changes in 60 intervals: " + fmt(weights));
      }
    }
  }

  /**
   * Direction changes of a series, ignoring moves smaller than {@code band} (relative): a swing
   * is a move of more than the band against the direction of the last one.
   */
  static int directionChanges(List<Double> series, double band) {
    int changes = 0;
    int direction = 0;
    double anchor = series.get(0);
    for (double v : series) {
      if (Math.abs(v - anchor) <= band * anchor) {
        continue;
      }
      int d = v > anchor ? 1 : -1;
      if (direction != 0 && d != direction) {
        changes++;
      }
      direction = d;
      anchor = v;
    }
    return changes;
  }

  static String fmt(List<Double> values) {
    StringBuilder b = new StringBuilder("[");
    for (double v : values) {
      b.append(String.format("%.2f ", v));
    }
    return b.append(']').toString();
  }

  static PoolRuntime pool(TestServer s) {
    for (Pool p : s.server().catalog().pools().all()) {
      return (PoolRuntime) p;
    }
    throw new AssertionError("no pool");
  }

  /** The share of {@code n} answers whose address is the busy member, 127.0.0.71. */
  static double busyShare(DatagramSocket socket, int n) throws Exception {
    byte[] query = Message.newQuery(Record.newRecord(Name.fromString(NAME), Type.A, DClass.IN)).toWire();
    byte[] buf = new byte[512];
    int busy = 0;
    int answered = 0;
    for (int q = 0; q < n; q++) {
      socket.send(new DatagramPacket(query, query.length));
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(in);
      } catch (SocketTimeoutException lost) {
        continue;
      }
      answered++;
      // the one A record's address is the last 4 bytes of the answer
      busy += buf[in.getLength() - 1] == 71 ? 1 : 0;
    }
    return answered == 0 ? 0 : (double) busy / answered;
  }
}
