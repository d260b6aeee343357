package io.dnslb.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.health.check.TestCerts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the shipped probes in {@code health-probes/} against real local servers, as dnslb would. */
class ProbeScriptsTest {
  record Outcome(int exit, String firstLine) {}

  static Outcome probe(String name, int port, List<String> args) throws Exception {
    return probe(name, port, args, Map.of());
  }

  static Outcome probe(String name, int port, List<String> args, Map<String, String> env)
      throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(Path.of("health-probes", name).toString()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(Map.of("DNSLB_ADDRESS", "127.0.0.1", "DNSLB_PORT", Integer.toString(port),
        "DNSLB_POOL", "cache", "DNSLB_HOST", "www.example.test", "DNSLB_TIMEOUT_MS", "2000"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    return new Outcome(p.exitValue(), out.lines().findFirst().orElse(""));
  }

  @Test
  void readmeExamplesAreValidChecks() throws Exception {
    List<String> examples = java.nio.file.Files.readAllLines(Path.of("health-probes", "README.md")).stream()
        .filter(l -> l.startsWith("check {")).toList();
    assertEquals(3, examples.size());
    for (String example : examples) {
      var check = com.typesafe.config.ConfigFactory.parseString(example).getConfig("check");
      assertEquals("exec", CheckSpec.parse(check, Path.of("health-probes")).type().name());
    }
  }

  /** A fake Redis that speaks just enough RESP: PING and INFO replication with the given role. */
  static ServerSocket fakeRedis(String role) throws Exception {
    return fakeRedis(role, null);
  }

  /**
   * As above; with a password, every command but AUTH is refused (NOAUTH) until AUTH [user]
   * password succeeds, as Redis with requirepass or an ACL user does.
   */
  static ServerSocket fakeRedis(String role, String password) throws Exception {
    ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
          OutputStream out = s.getOutputStream();
          boolean authed = password == null;
          for (String line; (line = in.readLine()) != null; ) {
            if (!line.startsWith("*")) {
              continue;
            }
            List<String> words = new java.util.ArrayList<>();
            for (int i = Integer.parseInt(line.substring(1)); i > 0; i--) {
              in.readLine(); // $length
              words.add(in.readLine());
            }
            String cmd = words.get(0).toUpperCase();
            String reply;
            if (cmd.equals("AUTH")) {
              authed = password != null && password.equals(words.get(words.size() - 1));
              reply = authed ? "+OK\r\n" : "-WRONGPASS invalid username-password pair\r\n";
            } else if (!authed) {
              reply = "-NOAUTH Authentication required.\r\n";
            } else if (cmd.equals("PING")) {
              reply = "+PONG\r\n";
            } else {
              String info = "# Replication\r\nrole:" + role + "\r\nconnected_slaves:0\r\n";
              reply = "$" + info.length() + "\r\n" + info + "\r\n";
            }
            out.write(reply.getBytes(StandardCharsets.UTF_8));
          }
        } catch (Exception closed) {
          return;
        }
      }
    });
    t.setDaemon(true);
    t.start();
    return server;
  }

  @Test
  void redisPingAuthenticatesWithAPasswordFromTheEnvironmentOrAFileNeverTheCommandLine(
      @TempDir Path dir) throws Exception {
    Path file = dir.resolve("redis.pass");
    java.nio.file.Files.writeString(file, "s3cret\n");
    try (ServerSocket redis = fakeRedis("master", "s3cret")) {
      int port = redis.getLocalPort();
      assertEquals(new Outcome(1, "PING answered -NOAUTH Authentication required."),
          probe("redis-ping", port, List.of()));
      assertEquals(new Outcome(0, "PONG role=master"), probe("redis-ping", port,
          List.of("role=master", "password-file=" + file)));
      assertEquals(new Outcome(0, "PONG"), probe("redis-ping", port,
          List.of("user=probe", "password-env=TEST_REDIS_PASSWORD"), Map.of("TEST_REDIS_PASSWORD", "s3cret")));
      assertEquals(new Outcome(1, "AUTH refused: WRONGPASS"), probe("redis-ping", port,
          List.of("password-env=TEST_REDIS_PASSWORD"), Map.of("TEST_REDIS_PASSWORD", "wrong")));
      assertEquals(new Outcome(2, "environment variable NOT_SET_ANYWHERE is not set"),
          probe("redis-ping", port, List.of("password-env=NOT_SET_ANYWHERE")));
      assertEquals(2, probe("redis-ping", port, List.of("password=s3cret")).exit());
    }
  }

  @Test
  void redisPingWantsPong() throws Exception {
    try (ServerSocket redis = fakeRedis("slave")) {
      assertEquals(new Outcome(0, "PONG"), probe("redis-ping", redis.getLocalPort(), List.of()));
    }
  }

  @Test
  void redisPingCanRequireTheMasterRole() throws Exception {
    try (ServerSocket master = fakeRedis("master")) {
      assertEquals(new Outcome(0, "PONG role=master"), probe("redis-ping", master.getLocalPort(), List.of("role=master")));
    }
    try (ServerSocket replica = fakeRedis("slave")) {
      assertEquals(new Outcome(1, "role is slave, want master"),
          probe("redis-ping", replica.getLocalPort(), List.of("role=master")));
    }
  }

  @Test
  void redisPingReportsRefusal() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertEquals(new Outcome(1, "connect refused"), probe("redis-ping", port, List.of()));
  }

  /** Serves TLS handshakes with the given keystore until closed. */
  static SSLServerSocket tlsServer(Path keystore) throws Exception {
    var ks = java.security.KeyStore.getInstance("PKCS12");
    try (var in = java.nio.file.Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    var server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try (var s = (javax.net.ssl.SSLSocket) server.accept()) {
          s.startHandshake();
          s.getInputStream().read();
        } catch (Exception ignored) {
          // the probe hangs up after the handshake; next
        }
      }
    });
    t.setDaemon(true);
    t.start();
    return server;
  }

  @Test
  void tlsCertExpiryPassesWithTimeLeftAndFailsNearExpiry(@TempDir Path dir) throws Exception {
    try (var longLived = tlsServer(TestCerts.keystore(dir, "www.example.test", 90));
         var expiring = tlsServer(TestCerts.keystore(dir, "www.example.test", 5))) {
      Outcome ok = probe("tls-cert-expiry", longLived.getLocalPort(), List.of("30"));
      assertEquals(0, ok.exit(), ok.firstLine());
      assertTrue(ok.firstLine().matches("certificate expires \\d{4}-\\d\\d-\\d\\d, in (89|90) days"), ok.firstLine());
      Outcome near = probe("tls-cert-expiry", expiring.getLocalPort(), List.of());
      assertEquals(1, near.exit());
      assertTrue(near.firstLine().matches("certificate expires .*, in [45] days \\(limit 14\\)"), near.firstLine());
    }
  }
}
