package io.dnslb.health.check;

import io.dnslb.health.ProbeResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code health-probes/NAME args…} directly (no shell) on a bounded pool. Exit 0 is up; the
 * first line of output is the reason. Output beyond {@link #OUTPUT_CAP} bytes is read and dropped so a
 * chatty probe can neither block on a full pipe nor fill our heap. At the deadline the process and all
 * its descendants are killed, so a probe that forks cannot leave strays behind.
 */
final class ExecCheck implements Check {
  static final int OUTPUT_CAP = 4096;

  private final Path probesDir;
  private final ExecutorService pool;
  private final ScheduledExecutorService timer;

  /**
   * @param pool bounded; a full queue fails the probe instead of piling up work
   * @param timer fires the kill at the deadline (an event loop is fine: the kill does not block)
   */
  ExecCheck(Path probesDir, ExecutorService pool, ScheduledExecutorService timer) {
    this.probesDir = probesDir;
    this.pool = pool;
    this.timer = timer;
  }

  @Override
  public CompletableFuture<ProbeResult> probe(ProbeRequest request) {
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    try {
      pool.execute(() -> run(request, result));
    } catch (RejectedExecutionException e) {
      result.complete(ProbeResult.fail("exec queue full", 0));
    }
    return result;
  }

  /**
   * Runs the probe on a pool thread. The deadline completes {@code result} itself rather than waiting
   * for this thread: a stray process that escaped the kill may hold the output pipe open for a while.
   */
  private void run(ProbeRequest request, CompletableFuture<ProbeResult> result) {
    long start = System.nanoTime();
    long timeout = request.timeoutMillis();
    List<String> command = new ArrayList<>(request.spec().command());
    command.set(0, probesDir.resolve(command.get(0)).toString());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Map<String, String> env = pb.environment();
    env.put("DNSLB_ADDRESS", request.address());
    env.put("DNSLB_PORT", request.spec().port() == 0 ? "" : Integer.toString(request.spec().port()));
    env.put("DNSLB_POOL", request.pool());
    env.put("DNSLB_HOST", request.host());
    env.put("DNSLB_TIMEOUT_MS", Long.toString(timeout));
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      result.complete(ProbeResult.fail("cannot start " + request.spec().command().get(0) + ": " + e.getMessage(),
          System.nanoTime() - start));
      return;
    }
    var kill = timer.schedule(() -> {
      // decide first, kill second: the killed probe's own exit status must not win the race
      result.complete(ProbeResult.fail("timeout after " + timeout + " ms", System.nanoTime() - start));
      killTree(process.toHandle());
    }, timeout, TimeUnit.MILLISECONDS);
    try {
      String firstLine = readCapped(process.getInputStream());
      int exit = process.waitFor();
      long latency = System.nanoTime() - start;
      String reason = "exit " + exit + (firstLine.isEmpty() ? "" : ": " + firstLine);
      result.complete(exit == 0 ? ProbeResult.pass(reason, latency) : ProbeResult.fail(reason, latency));
    } catch (IOException e) {
      result.complete(ProbeResult.fail("reading probe output: " + e.getMessage(), System.nanoTime() - start));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.complete(ProbeResult.fail("interrupted", System.nanoTime() - start));
    } finally {
      kill.cancel(false);
      // an exited probe may still have left background children; end them too
      killTree(process.toHandle());
    }
  }

  /** Descendants first: once the parent dies they are re-parented and no longer found through it. */
  private static void killTree(ProcessHandle process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** Reads to end of stream, keeping only the first {@link #OUTPUT_CAP} bytes; returns their first line. */
  private static String readCapped(InputStream in) throws IOException {
    byte[] kept = new byte[OUTPUT_CAP];
    int n = 0;
    byte[] sink = new byte[OUTPUT_CAP];
    for (int r; (r = in.read(n < OUTPUT_CAP ? kept : sink, n < OUTPUT_CAP ? n : 0,
        n < OUTPUT_CAP ? OUTPUT_CAP - n : OUTPUT_CAP)) >= 0; ) {
      if (n < OUTPUT_CAP) {
        n += r;
      }
    }
    String text = new String(kept, 0, n, StandardCharsets.UTF_8);
    int nl = text.indexOf('\n');
    String line = (nl < 0 ? text : text.substring(0, nl)).strip();
    // the reason goes to logs and JSON: no control characters, and short
    line = line.replaceAll("\\p{Cntrl}", "?");
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
