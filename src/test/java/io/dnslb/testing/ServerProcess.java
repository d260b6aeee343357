package io.dnslb.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Type;

/**
 * {@code dnslb serve} as a real process (a forked JVM on the test's class path), for what only a
 * process can show: {@code kill -9}. Settings come from a HOCON file; its log goes to a file.
 */
public final class ServerProcess implements AutoCloseable {
  /** Starts after a lost port race before giving up (see {@link #awaitAnswers}). */
  private static final int PORT_RETRIES = 3;

  private final Path zones;
  private final Path config;
  private final Path log;
  private Process process;
  private int dns;
  private int http;
  private int retries;

  private ServerProcess(Path zones, Path config, Path log) {
    this.zones = zones;
    this.config = config;
    this.log = log;
  }

  /** Starts serve with zones (and pool files) in {@code zones}, settings in {@code config}. */
  public static ServerProcess start(Path zones, Path config, Path log) throws IOException {
    ServerProcess p = new ServerProcess(zones, config, log);
    p.launch();
    return p;
  }

  /**
   * Forks serve on two ports free a moment ago. Another process can take one in between (the
   * ports are chosen here, bound by the child), so {@link #awaitAnswers} launches again on new
   * ports when the child reports exactly that.
   */
  private void launch() throws IOException {
    dns = LoopbackPorts.freeUdpAndTcp();
    http = LoopbackPorts.freeUdpAndTcp();
    process = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // start-up time matters here, peak speed does not
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
        "-Ddnslb.reload.watch=false",
        "-cp", System.getProperty("java.class.path"), "io.dnslb.Main",
        "serve", "--config", config.toString(), "--zones", zones.toString(),
        "--dns", "127.0.0.1:" + dns, "--http", "127.0.0.1:" + http))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  public DnsClient client() {
    return new DnsClient(new InetSocketAddress("127.0.0.1", dns));
  }

  public int httpPort() {
    return http;
  }

  /** Waits until it answers {@code name}; throws with its log when it died or took too long. */
  public long awaitAnswers(String name, long timeoutMs) throws Exception {
    long t0 = System.nanoTime();
    DnsClient c = client();
    while (c.udpRaw(DnsClient.query(name, Type.A).toWire()) == null) {
      if (!process.isAlive()) {
        String log = log();
        if (log.contains("Address already in use") && retries++ < PORT_RETRIES) {
          launch(); // lost the race for a port chosen free: the same start on new ports
          c = client();
          continue;
        }
        throw new AssertionError("serve exited " + process.exitValue() + ":\n" + log);
      }
      if (System.nanoTime() - t0 > timeoutMs * 1_000_000) {
        throw new AssertionError("serve did not answer within " + timeoutMs + " ms:\n" + log());
      }
      Thread.sleep(100);
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /** SIGKILL: no shutdown hook, no lease revoked, nothing flushed. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly(); // SIGKILL on Linux
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError("still alive 10 s after SIGKILL");
    }
  }

  public String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
