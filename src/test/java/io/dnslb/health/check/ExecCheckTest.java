package io.dnslb.health.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.health.ProbeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecCheckTest extends ChecksFixture {
  @TempDir static Path probes;

  @BeforeAll
  static void writeProbes() throws Exception {
    script("ok", "echo \"fine $DNSLB_POOL $DNSLB_ADDRESS $DNSLB_PORT $DNSLB_TIMEOUT_MS $DNSLB_HOST $1\"");
    script("broken", "echo 'disk full'; echo 'second line'; exit 3");
    script("silent-fail", "exit 1");
    // a probe that forks a grandchild and hangs: both must be killed at the deadline
    script("hang", "sleep 30 & echo $! > \"$0.child\"; sleep 30");
    script("chatty", "head -c 1000000 /dev/zero | tr '\\0' x; echo; exit 0");
  }

  private static void script(String name, String body) throws Exception {
    Path p = probes.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static ProbeResult exec(String command, String extra) throws Exception {
    return run("type = exec, port = 6379, command = " + command + extra, "127.0.0.7", probes);
  }

  @Test
  void exitZeroIsUpWithTheEnvironmentAndArguments() throws Exception {
    ProbeResult r = exec("[ok, arg1]", "");
    assertEquals("exit 0: fine web 127.0.0.7 6379 2000 www.example.test arg1", r.reason());
    assertEquals(true, r.pass());
  }

  @Test
  void nonZeroExitIsDownWithTheFirstLine() throws Exception {
    assertEquals(ProbeResult.fail("exit 3: disk full", 0), zeroLatency(exec("[broken]", "")));
    assertEquals(ProbeResult.fail("exit 1", 0), zeroLatency(exec("[silent-fail]", "")));
  }

  @Test
  void timeoutKillsTheProbeAndItsChildren() throws Exception {
    long before = ProcessHandle.current().descendants().count();
    long start = System.nanoTime();
    ProbeResult r = exec("[hang]", ", timeout = 300ms, interval = 1s");
    assertEquals("timeout after 300 ms", r.reason());
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "waited for the grandchild's sleep");
    assertTrue(TestBackend.eventually(() -> ProcessHandle.current().descendants().count() <= before),
        "probe processes left behind");
    // the background child would be re-parented away from us if it survived, so look it up by pid
    long child = Long.parseLong(Files.readString(probes.resolve("hang.child")).strip());
    assertTrue(TestBackend.eventually(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true)),
        "the probe's background child survived the timeout");
  }

  @Test
  void outputBeyondTheCapIsDiscardedNotBlockedOn() throws Exception {
    ProbeResult r = exec("[chatty]", "");
    assertEquals(true, r.pass());
    assertEquals("exit 0: " + "x".repeat(200), r.reason());
  }

  private static ProbeResult zeroLatency(ProbeResult r) {
    return new ProbeResult(r.pass(), r.reason(), 0, r.unambiguous(), r.load());
  }
}
