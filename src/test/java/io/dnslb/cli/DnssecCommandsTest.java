package io.dnslb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keygen, ds, and check on a signed zone: the operator's whole signing workflow. */
class DnssecCommandsTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void keygenDsAndCheckOnASignedZone() throws Exception {
    Path keys = dir.resolve("keys");
    assertEquals(0, run("keygen", "lb.test", "--keys", keys.toString()), err());
    assertTrue(out().trim().matches(".*/Klb\\.test\\.\\+013\\+\\d{5}\\.key"), out());
    assertEquals(0, run("keygen", "lb.test", "--algorithm", "ed25519", "--zsk", "--keys",
        keys.toString()), err());
    assertTrue(out().contains("+015+"), out());
    assertEquals(0, run("ds", "lb.test", "--keys", keys.toString()), err());
    String[] ds = out().trim().split("\n");
    assertEquals(1, ds.length, out()); // only the key-signing key has a DS
    assertTrue(ds[0].matches("lb\\.test\\.\\s+3600\\s+IN\\s+DS\\s+\\d+ 13 2 [0-9A-F]{64}"), ds[0]);

    Files.writeString(dir.resolve("lb.test.zone"),
        "$ORIGIN lb.test.\n@ 300 SOA ns hm 1 3600 600 86400 60\n@ 300 NS ns\nns 300 A 192.0.2.1\n");
    Files.writeString(dir.resolve("lb.test.dnssec.conf"), "dnssec {\n  keys = \"keys/\"\n}\n");
    assertEquals(0, run("check", "--zones", dir.toString()), err());
    Files.writeString(dir.resolve("lb.test.dnssec.conf"), "dnssec {\n  keys = \"nokeys/\"\n}\n");
    assertEquals(1, run("check", "--zones", dir.toString()));
    assertTrue(err().startsWith(dir.resolve("lb.test.dnssec.conf") + ":2: keys directory "),
        err());
  }

  @Test
  void usageErrors() {
    assertEquals(2, run("keygen"));
    assertEquals("dnslb keygen: which zone? (dnslb keygen ZONE)\n", err());
    assertEquals(2, run("keygen", "lb.test", "--algorithm", "rsasha1"));
    assertTrue(err().contains("unknown algorithm 'rsasha1'"), err());
    assertEquals(1, run("ds", "lb.test", "--keys", dir.resolve("none").toString()));
    assertTrue(err().contains("keys directory"), err());
  }
}
