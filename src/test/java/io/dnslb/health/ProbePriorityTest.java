package io.dnslb.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.ConfigFactory;
import io.dnslb.observe.Metrics;
import io.dnslb.time.Ticker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probe threads lower their own priority on Linux (SCHED_IDLE or nice 19), that thread only, and
 * the programs exec probes run inherit it. Read from /proc from the test's thread, so a starved
 * low-priority thread on a busy machine does not slow the test.
 */
class ProbePriorityTest {
  private static final int NICE = 16; // index in the stat fields after "pid (comm) "
  private static final int POLICY = 38;

  private static String[] stat(Path statFile) throws IOException {
    String stat = Files.readString(statFile);
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
  }

  /** Waits until a thread whose name starts with {@code name} shows {@code value} at {@code field}. */
  private static void awaitThread(String name, int field, String value) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    String last = "no thread named " + name + "*";
    while (System.nanoTime() < deadline) {
      try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
        for (Path t : (Iterable<Path>) tasks::iterator) {
          try {
            if (Files.readString(t.resolve("comm")).strip().startsWith(name)) {
              last = stat(t.resolve("stat"))[field];
              if (last.equals(value)) {
                return;
              }
            }
          } catch (IOException gone) {
            // the thread ended between list and read
          }
        }
      }
      Thread.sleep(20);
    }
    fail(name + ": field " + field + " is " + last + ", wanted " + value);
  }

  private static void assumeLinuxWith(String program) {
    boolean linux = Files.exists(Path.of("/proc/thread-self/stat"));
    boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    if (!linux || !found) {
      System.err.println("SKIPPED ProbePriorityTest: needs Linux and " + program + " (util-linux)");
    }
    assumeTrue(linux && found, "needs Linux and " + program);
  }

  private static void checkAThreadFrom(ProbePriority p, String name, int field, String value)
      throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    Thread t = p.lowering(r -> new Thread(r, name)).newThread(() -> {
      try {
        done.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    t.setDaemon(true);
    t.start();
    try {
      awaitThread(name, field, value);
      assertEquals("0", stat(Path.of("/proc/thread-self/stat"))[field],
          "the test's own thread must not change");
    } finally {
      done.countDown();
    }
  }

  @Test
  void idleMakesTheThreadSchedIdleAndLeavesOthersAlone() throws Exception {
    assumeLinuxWith("chrt");
    checkAThreadFrom(ProbePriority.IDLE, "prio-test-idle", POLICY, "5"); // 5 = SCHED_IDLE
  }

  @Test
  void lowMakesTheThreadNice19() throws Exception {
    assumeLinuxWith("renice");
    checkAThreadFrom(ProbePriority.LOW, "prio-test-low", NICE, "19");
  }

  @Test
  void theProbeLoopRunsAtTheGivenPriority() throws Exception {
    assumeLinuxWith("chrt");
    try (ProbeLoop loop = new ProbeLoop(false, ProbePriority.IDLE)) {
      loop.group().next().execute(() -> {}); // Netty starts the thread with its first task
      awaitThread("dnslb-probe", POLICY, "5");
    }
  }

  @Test
  void execProbesRunTheirProgramsAtTheProbePriority(@TempDir Path probes) throws Exception {
    assumeLinuxWith("renice");
    // the program prints its own nice value (field 19 of /proc/self/stat)
    Path script = probes.resolve("nice");
    Files.writeString(script, "#!/bin/sh\n"
        + "exec awk '{ sub(/.*\\) /, \"\"); split($0, f, \" \"); print \"nice \" f[17] }' /proc/self/stat\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (ProbeLoop loop = new ProbeLoop(false, ProbePriority.NORMAL)) {
      HealthTable table = new HealthTable(loop.group().next());
      try (Prober prober = new Prober(loop.group(), loop.socketChannel(), probes, "test",
          new Metrics(), Ticker.SYSTEM, ProbePriority.LOW, table)) {
        CheckSpec spec = CheckSpec.parse(ConfigFactory.parseString(
            "type = exec, command = [nice], interval = 60s, timeout = 30s"), probes);
        table.slot("k");
        prober.setTargets(List.of(new ProbeTarget("k", "web", "127.0.0.7", spec, null)));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (prober.status("k").orElseThrow().lastCheck() == null && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertEquals("exit 0: nice 19", prober.status("k").orElseThrow().lastReason());
      }
    }
  }

  @Test
  void normalChangesNothingAndBadNamesAreRefused() {
    assertNull(ProbePriority.NORMAL.applyToCurrentThread());
    assertEquals(ProbePriority.IDLE, ProbePriority.parse("idle"));
    assertEquals(ProbePriority.LOW, ProbePriority.parse("low"));
    assertThrows(IllegalArgumentException.class, () -> ProbePriority.parse("lowest"));
  }
}
