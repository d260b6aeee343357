package io.dnslb.pool;

import static io.dnslb.pool.PoolFixtures.webPool;
import static io.dnslb.pool.PoolFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.config.ConfigError;
import io.dnslb.health.HealthState;
import io.dnslb.health.HealthTable;
import io.dnslb.wire.ClientSubnet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Slow start, load-scaled weights and ttl = auto, driven by an injected clock. */
class PoolDynamicsTest {
  private static final ClientSubnet CLIENT =
      new ClientSubnet(1, new byte[] {(byte) 198, 51, 100, 7}, 32, false);
  private static final double[] FULL = {1, 1};
  private static final long[] NEVER = {Long.MAX_VALUE, Long.MAX_VALUE};

  private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor();

  @AfterAll
  static void stop() {
    SCHEDULER.shutdownNow();
  }

  @TempDir Path dir;
  private HealthTable table = new HealthTable(SCHEDULER);
  private final SplittableRandom random = new SplittableRandom(5);
  private long now = 1_000_000;

  @Test
  void slowStartSharesFollowTheRampInEachFiveSecondBucketAndEndAtFullWeight() throws Exception {
    PoolRuntime pool = pool("policy = weighted", "slow-start = 30s");
    setHealth(pool, 1, false);
    setHealth(pool, 1, true); // back from down: ramps from now
    for (long bucket = 0; bucket < 30; bucket += 5) {
      now = 1_000_000 + bucket * 1000 + 2500; // the middle of the bucket
      pool.refresh(now, FULL, NEVER, 500);
      double ramp = 0.1 + 0.9 * (bucket + 2.5) / 30;
      double expected = ramp / (1 + ramp);
      double share = firstShare(pool, 1, 10_000);
      System.out.printf("[slow-start] bucket %2d-%2d s: ramp %.2f, expected share %.3f, measured %.3f%n",
          bucket, bucket + 5, ramp, expected, share);
      assertEquals(expected, share, expected * 0.15, "bucket " + bucket + " s");
      assertEquals(ramp, pool.ramps(now)[1], 1e-9);
      PoolExplanation.Member m = pool.explain(Type.A, CLIENT).members().get(1);
      assertEquals(ramp, m.share(), 1e-9);
      assertTrue(m.why().contains(String.format("ramping up %.0f%% (slow start, %d s of 30 s)",
          ramp * 100, (now - 1_000_000) / 1000)), m.why());
    }
    now = 1_000_000 + 30_000;
    pool.refresh(now, FULL, NEVER, 500);
    assertEquals(1.0, pool.ramps(now)[1]);
    assertEquals(0.5, firstShare(pool, 1, 10_000), 0.5 * 0.05, "full weight at the end of the window");
  }

  @Test
  void roundRobinLeavesARampingMemberOutOfAMatchingShareOfAnswers() throws Exception {
    PoolRuntime pool = pool("policy = round-robin", "slow-start = 10s");
    setHealth(pool, 0, false);
    setHealth(pool, 0, true);
    now += 2_000; // ramp 0.1 + 0.9 × 0.2 = 0.28
    pool.refresh(now, FULL, NEVER, 500);
    int with = 0;
    int[] out = new int[8];
    for (int q = 0; q < 10_000; q++) {
      int n = pool.select(Type.A, CLIENT, out);
      for (int j = 0; j < n; j++) {
        with += out[j] == 0 ? 1 : 0;
      }
    }
    assertEquals(0.28, with / 10_000.0, 0.28 * 0.15);
  }

  @Test
  void aMemberAddedByAReloadRampsAndOneThatWasThereDoesNot() throws Exception {
    PoolRuntime first = pool("policy = weighted", "slow-start = 30s");
    setHealth(first, 0, true); // first verdict at start: not a recovery
    assertEquals(1.0, first.ramps(now)[0]);
    table = new HealthTable(SCHEDULER);
    table.slot(first.config().members().get(0).key()); // the old configuration had .10 only
    PoolRuntime reloaded = unbound("policy = weighted", "slow-start = 30s");
    reloaded.bind(table, true);
    assertEquals(1.0, reloaded.ramps(now)[0]);
    assertEquals(0.1, reloaded.ramps(now)[1], 1e-9);
  }

  @Test
  void reportedLoadScalesTheWeight() throws Exception {
    PoolRuntime pool = pool("policy = weighted");
    pool.refresh(now, new double[] {0.1, 1}, NEVER, 500);
    assertEquals(0.1 / 1.1, firstShare(pool, 0, 20_000), 0.1 / 1.1 * 0.15);
    pool.refresh(now, FULL, NEVER, 500);
    assertEquals(0.5, firstShare(pool, 0, 20_000), 0.05);
  }

  @Test
  void autoTtlIsTheTimeUntilAMemberInTheAnswerCouldChangeClamped() throws Exception {
    PoolRuntime pool = pool("policy = round-robin", "ttl = auto", "ttl-min = 2s", "ttl-max = 60s");
    pool.refresh(now, FULL, new long[] {now + 10_700, Long.MAX_VALUE}, 500);
    // 10.7 s less the 0.5 s until the next refresh, whole seconds down: 10
    assertEquals(10, pool.ttl(new int[] {0, 1}, 2));
    assertEquals(60, pool.ttl(new int[] {1}, 1), "an unprobed member never changes: ttl-max");
    for (Record r : pool.answer(Name.fromString("www.lb.example.com."), Type.A, CLIENT).records()) {
      assertEquals(10, r.getTTL());
    }
    pool.refresh(now, FULL, new long[] {now + 300, now + 100_000}, 500);
    assertEquals(2, pool.ttl(new int[] {0, 1}, 2), "clamped to ttl-min");
    assertEquals(60, pool.ttl(new int[] {1}, 1), "clamped to ttl-max");
    // a refresh republishes the TTLs only when one moved, whichever: each moves on its own
    pool.refresh(now, FULL, new long[] {now + 5_500, now + 100_000}, 500);
    assertEquals(5, pool.ttl(new int[] {0}, 1), "the first moved alone");
    assertEquals(60, pool.ttl(new int[] {1}, 1));
    pool.refresh(now, FULL, new long[] {now + 5_500, now + 7_500}, 500);
    assertEquals(5, pool.ttl(new int[] {0}, 1));
    assertEquals(7, pool.ttl(new int[] {1}, 1), "the second moved alone");
    pool.refresh(now + 3_000, FULL, new long[] {now + 5_500, now + 7_500}, 500);
    assertEquals(2, pool.ttl(new int[] {0}, 1), "time alone moves them: 2 s left, ttl-min 2");
    assertEquals(4, pool.ttl(new int[] {1}, 1));
    PoolRuntime fixed = pool("policy = round-robin", "ttl = 20s");
    fixed.refresh(now, FULL, new long[] {now + 300, now + 300}, 500);
    assertEquals(-1, fixed.ttl(new int[] {0}, 1), "a fixed TTL stays in the records");
  }

  @Test
  void overridesSetTheWeightTheRampScalesAndExplainNamesThem() throws Exception {
    PoolRuntime pool = pool("policy = weighted", "slow-start = 30s");
    java.time.Instant at = java.time.Instant.parse("2026-12-05T20:00:00Z");
    MemberOverride weight3 = new MemberOverride(null, 3, "", null, "alice", at);
    MemberOverride drain = new MemberOverride(Admin.DRAIN, MemberOverride.KEEP_WEIGHT,
        "kernel update", java.time.Instant.parse("2026-12-05T22:00:00Z"), "bob", at);
    pool.setOverrides(java.util.Map.of("192.0.2.10", weight3, "192.0.2.11", drain));
    PoolExplanation e = pool.explain(Type.A, CLIENT);
    assertEquals(3, e.members().get(0).weight());
    assertTrue(e.members().get(0).why().contains("weight 3 (override by alice, no expiry)"),
        e.members().get(0).why());
    assertEquals("drain", e.members().get(1).admin());
    assertEquals("admin drain (override by bob: kernel update, until 2026-12-05T22:00:00Z): "
        + "probed, never answered", e.members().get(1).why());
    assertEquals(1.0, firstShare(pool, 0, 1_000));

    // undrained by the operator: back in rotation, ramping from 10% of its (file) weight
    pool.setOverrides(java.util.Map.of("192.0.2.10", weight3));
    now += 15_000;
    pool.refresh(now, FULL, NEVER, 500);
    double ramp = 0.1 + 0.9 * 0.5;
    PoolExplanation.Member back = pool.explain(Type.A, CLIENT).members().get(1);
    assertEquals(ramp, back.ramp(), 1e-9);
    assertEquals(ramp, back.effectiveWeight(), 1e-9);
    assertEquals(3.0, pool.explain(Type.A, CLIENT).members().get(0).effectiveWeight(), 1e-9);
    double expected = ramp / (3 + ramp);
    assertEquals(expected, firstShare(pool, 1, 20_000), expected * 0.15);
  }

  private double firstShare(PoolRuntime pool, int member, int queries) {
    int[] out = new int[1];
    int hits = 0;
    for (int q = 0; q < queries; q++) {
      pool.select(Type.A, CLIENT, out);
      hits += out[0] == member ? 1 : 0;
    }
    return (double) hits / queries;
  }

  private void setHealth(PoolRuntime pool, int member, boolean up) {
    table.report(pool.config().members().get(member).key(), up ? HealthState.UP : HealthState.DOWN);
    table.flush();
  }

  private PoolRuntime pool(String... body) throws ConfigError {
    table = new HealthTable(SCHEDULER);
    PoolRuntime pool = unbound(body);
    pool.bind(table);
    table.rebind(java.util.List.of(pool));
    return pool;
  }

  private PoolRuntime unbound(String... body) throws ConfigError {
    var zones = PoolFixtures.zones(dir);
    String[] lines = new String[body.length + 2];
    lines[0] = "names = [\"www.lb.example.com.\"]";
    System.arraycopy(body, 0, lines, 1, body.length);
    lines[lines.length - 1] = "members = [{ address = \"192.0.2.10\" }, { address = \"192.0.2.11\" }]";
    write(dir, "a.pools.conf", webPool(lines));
    return new PoolRuntime(PoolDirectory.configs(dir, zones).get(0), () -> random, () -> now);
  }
}
