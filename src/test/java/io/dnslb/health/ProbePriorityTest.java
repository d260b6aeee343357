package io.dnslb.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Probe threads lower their own priority on Linux: SCHED_IDLE or nice 19, this thread only. */
class ProbePriorityTest {
  /** Fields of /proc/thread-self/stat after the command name: [16] is nice, [38] the policy. */
  private static String[] statOfThisThread() throws Exception {
    String stat = Files.readString(Path.of("/proc/thread-self/stat"));
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
  }

  private static String[] statOfAThreadFrom(ProbePriority p) throws Exception {
    CompletableFuture<String[]> seen = new CompletableFuture<>();
    Thread t = p.lowering(Thread::new).newThread(() -> {
      try {
        seen.complete(statOfThisThread());
      } catch (Exception e) {
        seen.completeExceptionally(e);
      }
    });
    t.start();
    return seen.get(30, TimeUnit.SECONDS);
  }

  private static void assumeLinuxWith(String program) {
    boolean linux = Files.exists(Path.of("/proc/thread-self/stat"));
    boolean found = java.util.stream.Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    if (!linux || !found) {
      System.err.println("SKIPPED ProbePriorityTest: needs Linux and " + program + " (util-linux)");
    }
    assumeTrue(linux && found, "needs Linux and " + program);
  }

  @Test
  void idleMakesTheProbeThreadSchedIdleAndLeavesOthersAlone() throws Exception {
    assumeLinuxWith("chrt");
    assertEquals("5", statOfAThreadFrom(ProbePriority.IDLE)[38], "SCHED_IDLE is policy 5");
    assertEquals("0", statOfThisThread()[38], "the calling thread must keep SCHED_OTHER");
  }

  @Test
  void lowMakesTheProbeThreadNice19() throws Exception {
    assumeLinuxWith("renice");
    assertEquals("19", statOfAThreadFrom(ProbePriority.LOW)[16]);
    assertEquals("0", statOfThisThread()[16]);
  }

  @Test
  void normalChangesNothingAndAFailureIsOnlyReported() {
    assertNull(ProbePriority.NORMAL.applyToCurrentThread());
    assertEquals(ProbePriority.IDLE, ProbePriority.parse("idle"));
    assertThrows(IllegalArgumentException.class, () -> ProbePriority.parse("lowest"));
  }
}
