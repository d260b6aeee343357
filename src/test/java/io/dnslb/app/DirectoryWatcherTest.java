package io.dnslb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.TestServer;
import io.dnslb.testing.TestZones;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class DirectoryWatcherTest {
  @TempDir Path root;

  /** A SIGHUP every 20 ms for 3 s used to put the reload off until the storm ended. */
  @Test
  void aStormOfRequestsStillReloadsWithinTheMaximumWait() throws Exception {
    Path dir = Files.createDirectories(root.resolve("zones"));
    AtomicInteger reloads = new AtomicInteger();
    try (DirectoryWatcher w = new DirectoryWatcher(dir, 100, reloads::incrementAndGet)) {
      long end = System.nanoTime() + 3_000_000_000L;
      while (System.nanoTime() < end) {
        w.schedule();
        Thread.sleep(20);
      }
      // max wait 1 s: about three reloads during the storm (at least one even on a slow box)
      assertTrue(reloads.get() >= 1 && reloads.get() <= 4, reloads.get() + " reloads");
    }
  }

  /**
   * Deploy tools replace the directory: rename the old away, create a new one. The watcher
   * follows the name, and the new data is served.
   */
  @Test
  void aReplacedZonesDirectoryIsWatchedAgain() throws Exception {
    Path dir = Files.createDirectories(root.resolve("zones"));
    try (TestServer s = TestServer.in(dir).file("example.test.zone", TestZones.EXAMPLE)
        .set("reload.debounce", "50ms").start()) {
      assertEquals(Rcode.NXDOMAIN, s.client().tcp("new.example.test.", Type.A).getRcode());
      Files.move(dir, root.resolve("zones.old"));
      Path fresh = Files.createDirectories(root.resolve("zones.tmp"));
      Files.writeString(fresh.resolve("example.test.zone"),
          TestZones.EXAMPLE + "new 60 A 192.0.2.99\n");
      Files.move(fresh, dir);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (s.client().tcp("new.example.test.", Type.A).getRcode() != Rcode.NOERROR) {
        assertTrue(System.nanoTime() < deadline, "the new directory was never loaded");
        Thread.sleep(100);
      }
      // and edits inside the new directory are seen too
      Files.writeString(dir.resolve("example.test.zone"),
          TestZones.EXAMPLE + "newer 60 A 192.0.2.98\n");
      while (s.client().tcp("newer.example.test.", Type.A).getRcode() != Rcode.NOERROR) {
        assertTrue(System.nanoTime() < deadline + 10_000_000_000L, "edits were not seen");
        Thread.sleep(100);
      }
      assertTrue(s.server().lastReload().ok());
    }
  }
}
