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
  private final Process process;
  private final Path log;
  private final int dns;
  private final int http;

  private ServerProcess(Process process, Path log, int dns, int http) {
    this.process = process;
    this.log = log;
    this.dns = dns;
    this.http = http;
  }

  /** Starts serve with zones (and pool files) in {@code zones}, settings in {@code config}. */
  public static ServerProcess start(Path zones, Path config, Path log) throws IOException {
    int dns = LoopbackPorts.freeUdpAndTcp();
    int http = LoopbackPorts.freeUdpAndTcp();
    Process p = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // start-up time matters here, peak speed does not
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
        "-Ddnslb.reload.watch=false",
        "-cp", System.getProperty("java.class.path"), "io.dnslb.Main",
        "serve", "--config", config.toString(), "--zones", zones.toString(),
        "--dns", "127.0.0.1:" + dns, "--http", "127.0.0.1:" + http))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ServerProcess(p, log, dns, http);
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
        throw new AssertionError("serve exited " + process.exitValue() + ":\n" + log());
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
