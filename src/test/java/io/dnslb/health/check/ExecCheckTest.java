package io.dnslb.health.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.health.CheckSpec;
import io.dnslb.health.ProbeResult;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
    // the red-team probe: a background child that keeps the output pipe open after exit 0
    script("stray", "sleep 300 & echo $! > \"$0.child\"; echo fine; exit 0");
    script("stray-hang", "sleep 300 & sleep 300");
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

  /**
   * {@code sleep 300 &} used to hold the pipe open, so every exec thread waited on it for five
   * minutes and exec-checked members kept their state. Now the probe's result stands, the whole
   * process group is killed, and the kill is counted.
   */
  @Test
  void aBackgroundChildHoldingThePipeNeitherWedgesNorSurvives() throws Exception {
    CheckRegistry registry = new CheckRegistry(group, NioSocketChannel.class, probes, execPool, USER_AGENT, io.dnslb.time.Ticker.SYSTEM);
    CheckSpec stray = spec("type = exec, command = [stray], timeout = 3s", probes);
    long start = System.nanoTime();
    // more probes than exec threads: a wedged thread would leave the later ones waiting
    List<CompletableFuture<ProbeResult>> running = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      running.add(registry.get(ExecCheck.TYPE).probe(
          ProbeRequest.of("web", "127.0.0.7", "www.example.test", stray)));
    }
    for (CompletableFuture<ProbeResult> r : running) {
      assertEquals("exit 0: fine", r.get(10, TimeUnit.SECONDS).reason());
    }
    assertTrue(System.nanoTime() - start < 8_000_000_000L, "waited on the background child");
    long child = Long.parseLong(Files.readString(probes.resolve("stray.child")).strip());
    assertTrue(TestBackend.eventually(() -> ProcessHandle.of(child).map(p -> !p.isAlive())
        .orElse(true)), "the background child survived");
    assertEquals(4, registry.execProbesKilled());
  }

  @Test
  void aTimedOutProbeIsKilledWithItsGroupAndCounted() throws Exception {
    CheckRegistry registry = new CheckRegistry(group, NioSocketChannel.class, probes, execPool, USER_AGENT, io.dnslb.time.Ticker.SYSTEM);
    CheckSpec hang = spec("type = exec, command = [stray-hang], timeout = 300ms", probes);
    ProbeResult r = registry.get(ExecCheck.TYPE)
        .probe(ProbeRequest.of("web", "127.0.0.7", "www.example.test", hang))
        .get(5, TimeUnit.SECONDS);
    assertEquals("timeout after 300 ms", r.reason());
    assertEquals(1, registry.execProbesKilled());
    assertEquals(ProbeResult.pass("exit 0: fine web 127.0.0.7 6379 2000 www.example.test a",
        0), zeroLatency(exec("[ok, a]", "")), "the exec threads are free again");
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
