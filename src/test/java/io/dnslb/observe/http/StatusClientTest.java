package io.dnslb.observe.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs the status command against a real endpoint (started by {@link ObserveHttpServerTest}'s fixture). */
class StatusClientTest {
  record Run(int exit, String out, String err) {}

  /** The flags are parsed by the cli package (its CliTest covers them); here only --http X. */
  static Run status(boolean colour, String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int exit = StatusClient.show(args[1], false, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), colour);
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static String endpoint() throws Exception {
    ObserveHttpServerTest.start();
    return "127.0.0.1:" + ObserveHttpServerTest.address.getPort();
  }

  @Test
  void printsATableOfPoolsAndMembers() throws Exception {
    try {
      Run r = status(false, "--http", endpoint());
      assertEquals(0, r.exit(), r.err());
      // In rotation: what the next answer can contain; admin with who set it; times to the
      // second; an em dash where there is nothing to show (never checked, never changed); the
      // OVERRIDE column only for a pool with a runtime override (admin API).
      assertEquals("""
          pool web  www.example.com., example.com.  policy wrr
            MEMBER       IN ROTATION  WEIGHT  PRIO  ADMIN                      HEALTH   LATENCY  SINCE                 REASON    OVERRIDE
            192.0.2.1    yes          3       0     none                       up       1.2ms    2026-01-01T00:00:00Z  HTTP 200  \u2014
            2001:db8::1  no           1       1     drain (web.pools.conf:12)  unknown  \u2014        \u2014                     \u2014         drain by ops: maintenance
          
          pool cache  cache.example.com.  policy first  FAILING OPEN: every member is down, answering as if all were up
            MEMBER     IN ROTATION  WEIGHT  PRIO  ADMIN  HEALTH  LATENCY  SINCE                 REASON
            192.0.2.9  yes          1       0     none   down    4.0ms    2026-01-01T00:01:00Z  exit 1: said "no"\\??
          
          """, r.out());
      Run coloured = status(true, "--http", endpoint().replace("127.0.0.1", "localhost"));
      assertTrue(coloured.out().contains("\033[31mdown  \033[0m"), coloured.out());
    } finally {
      ObserveHttpServerTest.stop();
    }
  }

  @Test
  void unreachableServerExitsOne() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Run r = status(false, "--http", "127.0.0.1:" + port);
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("connection refused"), r.err());
  }

  @Test
  void watchRedrawsUntilInterrupted() throws Exception {
    try {
      String target = endpoint();
      var out = new ByteArrayOutputStream();
      int[] exit = {-1};
      Thread t = new Thread(() -> exit[0] = StatusClient.show(target, true,
          new PrintStream(out, true, StandardCharsets.UTF_8), System.err, false));
      t.start();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (out.toString(StandardCharsets.UTF_8).split("pool web", -1).length - 1 < 2 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      t.interrupt();
      t.join(5000);
      assertEquals(0, exit[0]);
      assertEquals(2, out.toString(StandardCharsets.UTF_8).split("pool web", -1).length - 1, "redraws");
    } finally {
      ObserveHttpServerTest.stop();
    }
  }
}
