package io.dnslb.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the prober's threads are scheduled against the DNS event loops on the same cores
 * ({@code dnslb.health.probe-priority}). Linux schedules threads, not processes, so a thread can
 * lower its own priority; Java 17 has no call for it, so each probe thread, as it starts, runs
 * {@code chrt} or {@code renice} on its own thread id (read from {@code /proc/thread-self}): one
 * short process per thread, once. A probe thread then never delays an answer: a DNS loop that
 * wakes preempts it at once. Lowering is always allowed; where it is unsupported (not Linux,
 * no util-linux, a sandbox that refuses) the threads run at normal priority and one line says so.
 * The programs exec checks run inherit the thread's policy.
 */
public enum ProbePriority {
  /**
   * SCHED_IDLE: runs only on time nothing else wants, and a DNS loop that wakes preempts it at
   * once. On a machine busy with other work the probes stall (measured: 6 probes/s of 5,000 at
   * load 35 on 2 cores), so health stops moving: for boxes that run dnslb alone.
   */
  IDLE(List.of("chrt", "--idle", "-p", "0")),
  /**
   * nice 19 (the default): the lowest normal priority; a CPU-bound DNS loop leaves it about 1.5 %
   * of a core, but it keeps its fair share among other sleepers, so probing keeps up on a busy
   * machine (measured: as many probes/s as at normal priority at load 35).
   */
  LOW(List.of("renice", "-n", "19", "-p")),
  /** As the DNS loops. */
  NORMAL(List.of());

  private static final Logger log = LoggerFactory.getLogger(ProbePriority.class);
  private static final AtomicInteger warned = new AtomicInteger();
  private final List<String> command;

  ProbePriority(List<String> command) {
    this.command = command;
  }

  /** The value as written in the settings file. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ProbePriority parse(String s) {
    for (ProbePriority p : values()) {
      if (p.configName().equals(s)) {
        return p;
      }
    }
    throw new IllegalArgumentException("dnslb.health.probe-priority must be idle, low or normal, not \""
        + s + "\"");
  }

  /** Threads from {@code base} that lower their own priority first thing when they start. */
  public ThreadFactory lowering(ThreadFactory base) {
    return r -> base.newThread(() -> {
      applyToCurrentThread();
      r.run();
    });
  }

  /**
   * Lowers the calling thread's priority; null when done (or nothing to do), else why not. Never
   * throws: a probe thread that stays at normal priority still probes.
   */
  public String applyToCurrentThread() {
    if (command.isEmpty()) {
      return null;
    }
    String problem;
    try {
      String tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
      List<String> argv = new java.util.ArrayList<>(command);
      argv.add(tid);
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readNBytes(400);
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        problem = String.join(" ", argv) + " did not finish";
      } else {
        problem = p.exitValue() == 0 ? null : String.join(" ", argv) + " exited " + p.exitValue()
            + ": " + new String(out, java.nio.charset.StandardCharsets.UTF_8).strip();
      }
    } catch (IOException | UnsupportedOperationException e) {
      problem = "no /proc/thread-self or no " + command.get(0) + " (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problem = "interrupted";
    }
    if (problem != null && warned.getAndIncrement() == 0) {
      log.warn("health.probe-priority = {}: probe threads keep normal priority: {}", configName(),
          problem);
    }
    return problem;
  }
}
