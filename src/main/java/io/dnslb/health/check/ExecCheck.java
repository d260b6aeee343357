package io.dnslb.health.check;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.dnslb.config.ConfigError;
import io.dnslb.health.ProbeResult;
import io.dnslb.time.Ticker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code health-probes/NAME args…} directly (no shell) on a bounded pool. Exit 0 is up; the
 * first line of output is the reason.
 *
 * <p>A probe must not be able to wedge the prober. It starts in its own session and process group
 * ({@code setsid}), so everything it forks, even a background {@code sleep 300 &}, is found and
 * killed with it. Its output is read only as far as is available, polling until the probe exits
 * or the deadline passes: a background child holding the pipe open cannot keep this thread
 * waiting for end of file. Output beyond {@link #OUTPUT_CAP} bytes is read and dropped, so a
 * chatty probe can neither block on a full pipe nor fill our heap. A probe killed at its deadline,
 * or that left processes behind, is counted ({@link #killed}) and logged (once a minute per
 * command).
 */
public final class ExecCheck implements Check {
  public static final CheckType TYPE = new CheckType("exec", false, Options.KEYS, Options::read,
      c -> new ExecCheck(c.probesDir(), c.execPool(), c.ticker()));

  /**
   * An exec check's own key: {@code command = ["probe-name", args…]}, the probe a file directly
   * inside the probes directory.
   */
  public record Options(List<String> command) {
    static final Set<String> KEYS = Set.of("command");
    private static final Pattern PROBE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");

    public Options {
      command = List.copyOf(command);
    }

    static Options read(Config check, Path probesDir, List<ConfigError> errors) {
      List<String> command = command(check, errors);
      if (command.isEmpty()) {
        if (!check.hasPath("command") || check.getValue("command").valueType() == ConfigValueType.LIST) {
          errors.add(CheckValues.error(check.hasPath("command") ? check.getValue("command").origin()
              : check.origin(), "check: type exec needs command = [\"probe-name\", args…]"));
        }
        return new Options(command);
      }
      String name = command.get(0);
      if (!PROBE_NAME.matcher(name).matches()) {
        errors.add(CheckValues.error(check, "command", "check: command \"" + name
            + "\" must be a file name inside the probes directory (no /, no ..)"));
      } else if (probesDir != null) {
        Path probe = probesDir.resolve(name);
        if (!Files.isRegularFile(probe) || !Files.isExecutable(probe)) {
          errors.add(CheckValues.error(check, "command", "check: no executable probe \"" + name
              + "\" in " + probesDir));
        }
      }
      return new Options(command);
    }

    private static List<String> command(Config check, List<ConfigError> errors) {
      if (!check.hasPath("command")) {
        return List.of();
      }
      ConfigValue v = check.getValue("command");
      if (v instanceof ConfigList list && list.stream().allMatch(i -> i.valueType() == ConfigValueType.STRING)) {
        List<String> command = list.stream().map(i -> (String) i.unwrapped()).toList();
        // Arguments reach logs and /status: a newline there would forge a line.
        if (command.stream().anyMatch(a -> a.chars().anyMatch(Character::isISOControl))) {
          errors.add(CheckValues.error(v.origin(), "check: command must not contain control characters"));
        }
        return command;
      }
      errors.add(CheckValues.error(v.origin(), "check: command must be a list of strings such as [\"redis-ping\", \"role=master\"]"));
      return List.of();
    }
  }

  private static final Logger log = LoggerFactory.getLogger(ExecCheck.class);
  static final int OUTPUT_CAP = 4096;
  private static final long POLL_MILLIS = 10;
  private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
  /** On Linux: run probes in their own session, so their process group can be found and killed. */
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private final Path probesDir;
  private final ExecutorService pool;
  private final Ticker ticker;
  private final boolean ownGroup = Files.isExecutable(SETSID) && Files.isDirectory(Path.of("/proc"));
  private final LongAdder killed = new LongAdder();
  private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

  /** @param pool bounded; a full queue fails the probe instead of piling up work */
  ExecCheck(Path probesDir, ExecutorService pool, Ticker ticker) {
    this.ticker = ticker;
    this.probesDir = probesDir;
    this.pool = pool;
  }

  /** Probes killed at their deadline or for leaving processes behind, since start. */
  @Override
  public long killed() {
    return killed.sum();
  }

  @Override
  public CompletableFuture<ProbeResult> probe(ProbeRequest request) {
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    try {
      pool.execute(() -> {
        try {
          result.complete(run(request));
        } catch (Throwable t) { // an Error too: the result must complete, or the target stalls
          result.complete(ProbeResult.fail("probe error: " + t, 0));
        }
      });
    } catch (RejectedExecutionException e) {
      result.complete(ProbeResult.fail("exec queue full", 0));
    }
    return result;
  }

  private ProbeResult run(ProbeRequest request) {
    long start = ticker.nanos();
    // The deadline paces a real wait on a real process: it stays on the JVM's clock.
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(request.timeoutMillis());
    long timeout = request.timeoutMillis();
    List<String> args = request.spec().options(Options.class).command();
    String name = args.get(0);
    List<String> command = new ArrayList<>();
    if (ownGroup) {
      // setsid forks only when already a group leader, which a child of the JVM never is: the
      // probe keeps the pid Java knows, and that pid is its process group and session id.
      command.add(SETSID.toString());
    }
    command.add(probesDir.resolve(name).toString());
    command.addAll(args.subList(1, args.size()));
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
      return ProbeResult.fail("cannot start " + name + ": " + e.getMessage(),
          ticker.nanos() - start);
    }
    Output output = new Output();
    boolean timedOut = false;
    try (InputStream in = process.getInputStream()) {
      while (true) {
        output.drain(in);
        if (process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
          output.drain(in); // what it wrote just before exiting
          break;
        }
        if (System.nanoTime() - deadline >= 0) {
          timedOut = true;
          break;
        }
      }
    } catch (IOException e) {
      return ProbeResult.fail("reading probe output: " + e.getMessage(), ticker.nanos() - start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ProbeResult.fail("interrupted", ticker.nanos() - start);
    } finally {
      // always: an exited probe may have left background children, still holding the pipe
      int strays = kill(process);
      if (timedOut || strays > 0) {
        killed.increment();
        report(request, name, timedOut, strays);
      }
    }
    long latency = ticker.nanos() - start;
    if (timedOut) {
      return Failures.timeout(timeout, latency);
    }
    int exit = process.exitValue();
    String firstLine = output.firstLine();
    String reason = "exit " + exit + (firstLine.isEmpty() ? "" : ": " + firstLine);
    return exit == 0 ? ProbeResult.pass(reason, latency) : ProbeResult.fail(reason, latency);
  }

  private void report(ProbeRequest request, String name, boolean timedOut, int strays) {
    long now = ticker.nanos();
    Long last = lastLogged.get(name);
    if (last != null && now - last < LOG_EVERY_NANOS) {
      return;
    }
    lastLogged.put(name, now);
    log.warn("exec probe {} for {} {} was killed: {} ({} killed so far)", name, request.pool(),
        request.address(), timedOut ? "still running after " + request.timeoutMillis() + " ms"
            : strays + " process(es) left running after it exited", killed.sum());
  }

  /**
   * Kills the probe and everything in its process group; returns how many processes other than
   * the probe itself were still running. Without {@code setsid}, falls back to descendants, which
   * misses children already re-parented away.
   */
  private int kill(Process process) {
    int strays = 0;
    if (ownGroup) {
      long group = process.pid();
      // a process may fork between one pass and the next; a killed one cannot fork again
      for (int pass = 0; pass < 5; pass++) {
        List<ProcessHandle> found = ProcessGroup.members(group);
        found.removeIf(p -> p.pid() == group && !p.isAlive());
        if (found.isEmpty()) {
          break;
        }
        for (ProcessHandle p : found) {
          if (p.pid() != group) {
            strays++;
          }
          p.destroyForcibly();
        }
      }
    }
    List<ProcessHandle> descendants = process.descendants().toList();
    strays += ownGroup ? 0 : (int) descendants.stream().filter(ProcessHandle::isAlive).count();
    descendants.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    return strays;
  }

  /** The first {@link #OUTPUT_CAP} bytes of output; the rest is read and dropped. */
  private static final class Output {
    private final byte[] kept = new byte[OUTPUT_CAP];
    private final byte[] sink = new byte[OUTPUT_CAP];
    private int n;

    /** Reads what is available now, never blocking for more. */
    void drain(InputStream in) throws IOException {
      for (int available; (available = in.available()) > 0; ) {
        int r = n < OUTPUT_CAP
            ? in.read(kept, n, Math.min(available, OUTPUT_CAP - n))
            : in.read(sink, 0, Math.min(available, OUTPUT_CAP));
        if (r < 0) {
          return;
        }
        if (n < OUTPUT_CAP) {
          n += r;
        }
      }
    }

    String firstLine() {
      String text = new String(kept, 0, n, StandardCharsets.UTF_8);
      int nl = text.indexOf('\n');
      String line = (nl < 0 ? text : text.substring(0, nl)).strip();
      // the reason goes to logs and JSON: no control characters, and short
      line = line.replaceAll("\\p{Cntrl}", "?");
      return line.length() > 200 ? line.substring(0, 200) : line;
    }
  }
}
