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

class CliTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void unknownFlagIsAOneLineUsageError() {
    assertEquals(2, run("serve", "--bogus"));
    assertEquals("dnslb serve: unknown option '--bogus' (try: dnslb serve --help)\n", err());
  }

  @Test
  void badListenAddressIsAUsageError() {
    assertEquals(2, run("serve", "--dns", "localhost:53"));
    assertTrue(err().contains("'localhost' is not an IP address literal"), err());
    assertEquals(1, err().split("\n").length);
  }

  @Test
  void missingValueIsAUsageError() {
    assertEquals(2, run("check", "--zones"));
    assertEquals("dnslb check: --zones needs a value\n", err());
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertEquals(2, run("frobnicate"));
  }

  @Test
  void helpPrintsUsageAndSucceeds() {
    assertEquals(0, run("serve", "--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--dns ADDR:PORT"));
    assertEquals(0, run("check", "--help"));
  }

  @Test
  void checkAcceptsTheShippedExampleZones() {
    assertEquals(0, run("check", "--zones", "zones"), err());
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("ok: "));
  }

  @Test
  void checkReportsFileAndLineAndExitsOne() throws Exception {
    Files.writeString(dir.resolve("bad.test.zone"),
        "@ 60 SOA ns h 1 2 3 4 5\nwww 60 A 192.0.2.1\nwww 60 CNAME x\n");
    assertEquals(1, run("check", "--zones", dir.toString()));
    assertEquals(dir.resolve("bad.test.zone")
        + ":3: CNAME at www.bad.test. beside other data (RFC 1034 §3.6.2)\n", err());
  }

  @Test
  void serveRefusesToStartOnABadZone() throws Exception {
    Files.writeString(dir.resolve("bad.test.zone"), "www 60 A 192.0.2.1\n");
    assertEquals(1, run("serve", "--zones", dir.toString(), "--dns", "127.0.0.1:0"));
    assertEquals(dir.resolve("bad.test.zone")
        + ":1: no SOA record at the zone origin bad.test.\n", err());
  }

  @Test
  void aPortInUseIsOneLineAndExitOne() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getByName("127.0.0.1"))) {
      assertEquals(1, run("serve", "--zones", "zones", "--http", "off", "--dns",
          "127.0.0.1:" + taken.getLocalPort()));
      assertEquals("dnslb: cannot start: cannot listen on 127.0.0.1:" + taken.getLocalPort()
          + "/tcp: Address already in use (another program listens there)\n", err());
    }
  }

  @Test
  void unknownSettingInConfigFileNamesFileAndLine() throws Exception {
    Path conf = dir.resolve("dnslb.conf");
    Files.writeString(conf, "dnslb {\n  dns {\n    udp-paylaod = 1400\n  }\n}\n");
    assertEquals(1, run("check", "--config", conf.toString(), "--zones", "zones"));
    assertEquals(conf + ":3: unknown setting 'dnslb.dns.udp-paylaod'\n", err());
  }

  @Test
  void badValueInConfigFileIsReported() throws Exception {
    Path conf = dir.resolve("dnslb.conf");
    Files.writeString(conf, "dnslb.dns.udp-payload = 100\n");
    assertEquals(1, run("check", "--config", conf.toString(), "--zones", "zones"));
    assertTrue(err().contains("udp-payload must be in 512..65535"), err());
  }

  @Test
  void checkReportsEveryProblemInOneRun() throws Exception {
    Files.writeString(dir.resolve("a.test.zone"), "@ 60 SOA ns h 1 2 3 4 5\nwww 60 A 300.0.0.1\n");
    Files.writeString(dir.resolve("b.test.zone"), "www 60 A 192.0.2.1\n");
    Files.writeString(dir.resolve("c.test.zone"), "@ 60 SOA ns h 1 2 3 4 5\n");
    Files.writeString(dir.resolve("c.test.pools.conf"), String.join("\n",
        "pools {", "  web {", "    names = [\"www.c.test.\"]", "    ttl = 20",
        "    members = [ { address = \"192.0.2.1\", weight = -1 } ]", "  }", "}", ""));
    assertEquals(1, run("check", "--zones", dir.toString()));
    assertEquals(String.join("\n",
        dir.resolve("a.test.zone") + ":2: '300.0.0.1' is not a valid address for this record type",
        dir.resolve("b.test.zone") + ":1: no SOA record at the zone origin b.test.",
        dir.resolve("c.test.pools.conf") + ":4: pool web: ttl = 20 has no unit: write 20s (units: ms, s, m, h, d)",
        dir.resolve("c.test.pools.conf") + ":5: pool web member: weight must be a whole number 0..1000, not -1",
        "4 problems", ""), err());
  }

  @Test
  void checkCapsAVeryLongListOfProblems() throws Exception {
    StringBuilder members = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      members.append("{ address = \"192.0.2.").append(i).append("\", weight = -1 }\n");
    }
    Files.writeString(dir.resolve("c.test.zone"), "@ 60 SOA ns h 1 2 3 4 5\n");
    Files.writeString(dir.resolve("c.test.pools.conf"),
        "pools { web { names = [\"www.c.test.\"]\nmembers = [\n" + members + "] } }\n");
    assertEquals(1, run("check", "--zones", dir.toString()));
    String[] lines = err().split("\n");
    assertEquals(CheckCommand.MAX_SHOWN + 2, lines.length, err());
    assertEquals("... and 10 more", lines[CheckCommand.MAX_SHOWN]);
    assertEquals("60 problems", lines[CheckCommand.MAX_SHOWN + 1]);
  }

  @Test
  void checkWarnsAboutFilesThatLookLikeOursButAreNotRead() throws Exception {
    Files.copy(Path.of("zones/lb.example.com.zone"), dir.resolve("lb.example.com.zone"));
    for (String name : new String[] {"x.pool.conf", "x.pools.cfg", "lb.example.com.zone.bak",
        "notes.txt", ".x.zone.swp"}) {
      Files.writeString(dir.resolve(name), "");
    }
    assertEquals(0, run("check", "--zones", dir.toString()), err());
    assertEquals(String.join("\n",
        "warning: " + dir.resolve("lb.example.com.zone.bak") + ": not read: only *.zone, *.pools.conf and *.dnssec.conf files are (check the file name)",
        "warning: " + dir.resolve("x.pool.conf") + ": not read: only *.zone, *.pools.conf and *.dnssec.conf files are (check the file name)",
        "warning: " + dir.resolve("x.pools.cfg") + ": not read: only *.zone, *.pools.conf and *.dnssec.conf files are (check the file name)",
        ""), err());
  }

  @Test
  void everyCommandParsesFlagsTheSameWayWithHelpAndVersion() {
    for (String cmd : new String[] {"serve", "check", "status", "demo", "explain"}) {
      for (String flag : new String[] {"--help", "-h"}) {
        out.reset();
        assertEquals(0, run(cmd, flag), cmd + " " + flag + ": " + err());
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: dnslb " + cmd), cmd);
      }
      out.reset();
      assertEquals(0, run(cmd, "--version"), cmd + " --version: " + err());
      assertTrue(out.toString(StandardCharsets.UTF_8).matches("dnslb \\S+ \\(Java .+\\)\n"),
          out.toString(StandardCharsets.UTF_8));
    }
    out.reset();
    assertEquals(0, run("--version"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("dnslb 0."), "the pom's version");
  }

  @Test
  void statusTakesFlagEqualsValueAndRefusesBadOnesWithOneLine() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertEquals(1, run("status", "--http=127.0.0.1:" + port)); // parsed, then unreachable
    assertTrue(err().contains("connection refused"), err());
    for (String[] args : new String[][] {{"status", "--bogus"}, {"status", "--http"},
        {"status", "--http", "nohost"}, {"status", "--http=h:99999"}}) {
      err.reset();
      assertEquals(2, run(args), String.join(" ", args));
      assertEquals(1, err().lines().count(), err());
      assertTrue(err().startsWith("dnslb status: "), err());
    }
  }

  @Test
  void checkTakesExactlyServesArgumentsAndChecksTheAddressesToo() {
    assertEquals(0, run("check", "--zones", "zones", "--dns", "0.0.0.0:53", "--dns=[::]:53",
        "--http", "127.0.0.1:8053", "--debug"), err());
    assertEquals(2, run("check", "--zones", "zones", "--dns", "localhost:53"));
    assertTrue(err().startsWith("dnslb check: 'localhost' is not an IP address literal"), err());
  }
}
