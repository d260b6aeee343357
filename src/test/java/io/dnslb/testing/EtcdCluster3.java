package io.dnslb.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real three-member etcd cluster on loopback, from the Debian package {@code etcd-server}
 * ({@code .ci/run} installs it). Each member is its own process with its own data directory, so
 * a test can kill one (the leader, say) or all and start them again. Skips the calling test
 * loudly when the binary is absent. Close it after use.
 */
public final class EtcdCluster3 implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(1)).build();

  private final Path dir;
  private final String binary;
  private final int[] client = new int[3];
  private final int[] peer = new int[3];
  private final Process[] members = new Process[3];
  private final String initialCluster;

  private EtcdCluster3(Path dir, String binary) throws IOException {
    this.dir = dir;
    this.binary = binary;
    List<String> init = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      client[i] = LoopbackPorts.freeUdpAndTcp();
      peer[i] = LoopbackPorts.freeUdpAndTcp();
      init.add("e" + i + "=http://127.0.0.1:" + peer[i]);
    }
    this.initialCluster = String.join(",", init);
  }

  /** Starts three members and waits until the cluster answers; skips when etcd is not installed. */
  public static EtcdCluster3 start(Path dir) throws Exception {
    String binary = find();
    assumeTrue(binary != null, "\n\n*** SKIPPED: etcd is not installed (apt-get install "
        + "etcd-server): the fleet's end-to-end tests need a real etcd ***\n");
    for (int attempt = 1; ; attempt++) {
      EtcdCluster3 c = new EtcdCluster3(dir.resolve("try" + attempt), binary);
      for (int i = 0; i < 3; i++) {
        c.startMember(i);
      }
      try {
        c.awaitHealthy();
        return c;
      } catch (AssertionError e) {
        c.close();
        // A member that lost a port to another process exits at once: new ports, new cluster.
        if (attempt == 3) {
          throw e;
        }
        System.err.println("etcd cluster did not start (" + e.getMessage() + "); again on new ports");
      }
    }
  }

  private static String find() {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      File f = new File(d, "etcd");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    return null;
  }

  public List<String> endpoints() {
    List<String> out = new ArrayList<>();
    for (int p : client) {
      out.add("http://127.0.0.1:" + p);
    }
    return out;
  }

  public void startMember(int i) throws IOException {
    Files.createDirectories(dir);
    Path data = dir.resolve("e" + i);
    members[i] = new ProcessBuilder(binary, "--name", "e" + i, "--data-dir", data.toString(),
        "--listen-client-urls", "http://127.0.0.1:" + client[i],
        "--advertise-client-urls", "http://127.0.0.1:" + client[i],
        "--listen-peer-urls", "http://127.0.0.1:" + peer[i],
        "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer[i],
        "--initial-cluster", initialCluster, "--initial-cluster-token", "dnslb-test",
        "--initial-cluster-state", Files.exists(data) ? "existing" : "new",
        "--heartbeat-interval", "100", "--election-timeout", "1000")
        .redirectErrorStream(true).redirectOutput(dir.resolve("e" + i + ".log").toFile())
        .start();
  }

  /** SIGKILL, as a crash or a pulled cable would be. */
  public void kill(int i) throws InterruptedException {
    Process p = members[i];
    if (p != null) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      members[i] = null;
    }
  }

  /** The index of the current leader. */
  public int leader() throws Exception {
    for (int i = 0; i < 3; i++) {
      if (members[i] == null) {
        continue;
      }
      try {
        String body = post(i, "/v3/maintenance/status", "{}");
        String id = field(body, "member_id");
        String leader = field(body, "leader");
        if (id != null && id.equals(leader)) {
          return i;
        }
      } catch (IOException e) {
        // not this one
      }
    }
    throw new AssertionError("no etcd leader");
  }

  /** Waits until every running member reports healthy (a leader exists). */
  public void awaitHealthy() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (int i = 0; i < 3; i++) {
      if (members[i] == null) {
        continue;
      }
      while (true) {
        if (!members[i].isAlive()) {
          throw new AssertionError("etcd member e" + i + " exited with " + members[i].exitValue()
              + "; see " + dir.resolve("e" + i + ".log"));
        }
        try {
          HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + client[i] + "/health"))
              .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200 && r.body().contains("\"true\"")) {
            break;
          }
        } catch (IOException e) {
          // starting
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("etcd member e" + i + " not healthy within 30 s; see "
              + dir.resolve("e" + i + ".log"));
        }
        Thread.sleep(100);
      }
    }
  }

  private String post(int i, String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + client[i] + path))
        .timeout(Duration.ofSeconds(2)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static String field(String json, String name) {
    int k = json.indexOf("\"" + name + "\":\"");
    if (k < 0) {
      return null;
    }
    int start = k + name.length() + 4;
    return json.substring(start, json.indexOf('"', start));
  }

  @Override
  public void close() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      kill(i);
    }
  }
}
