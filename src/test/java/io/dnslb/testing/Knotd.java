package io.dnslb.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * knotd (Debian's {@code knot}) serving one zone file on a free loopback port, for the tests that
 * compare dnslb with Knot. A port is chosen free for UDP and TCP at once, and knotd is started
 * again on another one when it exits at once (the port was taken between the choice and its
 * bind: seen in a full run on a busy machine).
 */
public final class Knotd implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/sbin/knotd");

  private final Process process;
  private final InetSocketAddress address;
  private final Path log;

  private Knotd(Process process, InetSocketAddress address, Path log) {
    this.process = process;
    this.address = address;
    this.log = log;
  }

  /**
   * Starts knotd for {@code zone} from {@code zoneDir/file}, its run files in
   * {@code zoneDir/knot}.
   *
   * @param sections extra top-level configuration (e.g. {@code policy:}, module sections)
   * @param template extra lines of the default template (indented, e.g. a {@code module:})
   */
  public static Knotd start(Path zoneDir, String zone, String file, List<String> sections,
      List<String> template) throws IOException, InterruptedException {
    Path run = Files.createDirectories(zoneDir.resolve("knot"));
    Path conf = run.resolve("knot.conf");
    Path log = run.resolve("knot.log");
    for (int attempt = 1; ; attempt++) {
      int port = LoopbackPorts.freeUdpAndTcp();
      List<String> lines = new ArrayList<>(List.of(
          "server:", "    rundir: \"" + run + "\"", "    listen: 127.0.0.1@" + port,
          "database:", "    storage: \"" + run + "\""));
      lines.addAll(sections);
      lines.addAll(List.of("template:", "  - id: default", "    storage: \"" + zoneDir + "\"",
          "    semantic-checks: off"));
      lines.addAll(template);
      lines.addAll(List.of("zone:", "  - domain: " + zone, "    file: " + file, ""));
      Files.writeString(conf, String.join("\n", lines));
      Process p = new ProcessBuilder(BINARY.toString(), "-c", conf.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(2, TimeUnit.SECONDS) || attempt == 5) {
        // still running (or out of attempts: the caller's wait shows the log)
        return new Knotd(p, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), log);
      }
    }
  }

  public InetSocketAddress address() {
    return address;
  }

  /** knotd's log, to show when it never serves. */
  public String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "(none)";
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
