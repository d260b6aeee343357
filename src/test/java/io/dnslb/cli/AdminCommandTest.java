package io.dnslb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dnslb admin} against a real server's HTTP endpoint. */
class AdminCommandTest {
  static final String ZONE = """
      $ORIGIN pool.test.
      @   3600 IN SOA ns1 hostmaster 1 3600 600 86400 60
      @   3600 IN NS  ns1
      ns1 3600 IN A   192.0.2.1
      """;
  static final String POOLS = """
      pools {
        web {
          names = ["www.pool.test."]
          members = [ { address = "192.0.2.10" }, { address = "192.0.2.11" } ]
        }
      }
      """;

  record Run(int code, String out, String err) {}

  static Run admin(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] full = new String[args.length + 1];
    full[0] = "admin";
    System.arraycopy(args, 0, full, 1, args.length);
    int code = Cli.run(full, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void drainListUndrainAndARefusal(@TempDir Path dir) throws Exception {
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "ops:0123456789abcdef0123\n");
    try (TestServer s = TestServer.in(dir).file("pool.test.zone", ZONE)
        .file("pool.test.pools.conf", POOLS).set("http.listen", "127.0.0.1:0")
        .set("admin.token-file", tokens.toString()).start()) {
      String http = "127.0.0.1:" + s.server().httpAddress().getPort();
      Run noToken = admin("drain", "web", "192.0.2.10", "--http", http);
      assertEquals(1, noToken.code());
      assertTrue(noToken.err().contains("refused (HTTP 401)"), noToken.err());

      Run drain = admin("drain", "web", "192.0.2.10", "--reason", "patching", "--expires", "30m",
          "--http", http, "--token-file", tokens.toString());
      assertEquals(0, drain.code(), drain.err());
      assertTrue(drain.out().contains("192.0.2.10") && drain.out().contains("drain by ops until"),
          drain.out());
      assertTrue(drain.out().contains("(patching)"), drain.out());

      Run list = admin("list", "web", "--http", http);
      assertEquals(0, list.code(), list.err());
      assertTrue(list.out().startsWith("pool web  min-serving 1"), list.out());
      assertTrue(list.out().contains("none/1"), list.out());

      Run last = admin("down", "web", "192.0.2.11", "--http", http, "--token-file", tokens.toString());
      assertEquals(1, last.code());
      assertTrue(last.err().contains("HTTP 409") && last.err().contains("min-serving"), last.err());

      Run undrain = admin("undrain", "web", "192.0.2.10", "--http", http, "--token-file",
          tokens.toString());
      assertEquals(0, undrain.code(), undrain.err());
      assertTrue(undrain.out().contains(" - "), undrain.out());

      Run weight = admin("weight", "web", "192.0.2.11", "7", "--http", http, "--token-file",
          tokens.toString());
      assertEquals(0, weight.code(), weight.err());
      assertTrue(weight.out().contains("weight=7 by ops"), weight.out());
    }
  }

  @Test
  void usageErrorsExit2AndHelpExits0() {
    assertEquals(0, admin("--help").code());
    assertEquals(2, admin().code());
    assertEquals(2, admin("drain", "web").code());
    assertEquals(2, admin("weight", "web", "192.0.2.10", "heavy").code());
    assertEquals(2, admin("explode", "web", "192.0.2.10").code());
    assertEquals(2, admin("drain", "web", "192.0.2.10", "--colour", "red").code());
    Run unreachable = admin("list", "--http", "127.0.0.1:1");
    assertEquals(1, unreachable.code());
    assertTrue(unreachable.err().contains("cannot reach"), unreachable.err());
  }
}
