package io.dnslb.pool;

import static io.dnslb.pool.PoolFixtures.webPool;
import static io.dnslb.pool.PoolFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.health.HealthState;
import io.dnslb.health.HealthTable;
import io.dnslb.wire.ClientSubnet;
import io.dnslb.pool.policy.Policies;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Explain tells the truth: over random pools (policy, members, weights, priorities, admin
 * state, health, reported load) and random clients, what {@link PoolRuntime#explain} says is
 * what {@link PoolRuntime#answer} then does. Deterministic policies: the explained answer is the
 * answer, in order. Drawn ones: exactly the explained candidates appear, first with the
 * explained probabilities.
 */
class ExplainPropertyTest {
  private static final Name WWW = name("www.lb.example.com.");
  private static final String[] ADMIN = {"", "", "", "", ", admin = up", ", admin = down", ", admin = drain"};

  private static final java.util.concurrent.ScheduledExecutorService SCHEDULER =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor();

  @org.junit.jupiter.api.AfterAll
  static void stop() {
    SCHEDULER.shutdownNow();
  }

  @TempDir Path dir;

  @Test
  void explainMatchesTheAnswerForEveryPolicy() throws Exception {
    Random r = new Random(20261205);
    int drawnChecked = 0;
    for (int round = 0; round < 120; round++) {
      String policy = Policies.names().get(round % Policies.names().size());
      int n = 2 + r.nextInt(5);
      List<String> lines = new ArrayList<>(List.of("names = [\"www.lb.example.com.\"]",
          "policy = " + policy, "answers = " + (1 + r.nextInt(3)),
          "when-all-down = " + (r.nextInt(4) == 0 ? "servfail" : "fail-open"), "members = ["));
      for (int i = 0; i < n; i++) {
        lines.add("{ address = \"192.0.2." + (10 + i) + "\", weight = " + r.nextInt(6)
            + ", priority = " + (1 + r.nextInt(3)) + ADMIN[r.nextInt(ADMIN.length)] + " }");
      }
      lines.add("]");
      write(dir, "a.pools.conf", webPool(lines.toArray(String[]::new)));
      PoolConfig config = PoolDirectory.configs(dir, PoolFixtures.zones(dir)).get(0);
      SplittableRandom random = new SplittableRandom(round);
      PoolRuntime pool = new PoolRuntime(config, () -> random, () -> 0L);
      HealthTable table = new HealthTable(SCHEDULER);
      pool.bind(table);
      table.rebind(List.of(pool));
      double[] load = new double[n];
      long[] never = new long[n];
      for (int i = 0; i < n; i++) {
        table.report(config.members().get(i).key(), r.nextInt(3) != 0 ? HealthState.UP : HealthState.DOWN);
        load[i] = r.nextBoolean() ? 1.0 : 0.1 + 0.9 * r.nextDouble();
        never[i] = Long.MAX_VALUE;
      }
      table.flush();
      if (!policy.equals("round-robin")) { // round-robin with partial shares draws: tested below
        pool.refresh(0, load, never, 500);
      }
      ClientSubnet client = new ClientSubnet(1,
          new byte[] {(byte) r.nextInt(256), (byte) r.nextInt(256), (byte) r.nextInt(256), 1}, 32, false);
      String what = "round " + round + " " + policy + "\n" + String.join("\n", lines);

      PoolExplanation e = pool.explain(Type.A, client);
      PoolAnswer first = pool.answer(WWW, Type.A, client);
      if (first.servfail()) {
        assertEquals("SERVFAIL", e.outcome(), what);
        continue;
      }
      if (first.records().isEmpty()) {
        assertEquals("NODATA", e.outcome(), what);
        continue;
      }
      assertEquals("answer", e.outcome(), what);
      Set<String> in = new HashSet<>();
      for (PoolExplanation.Member m : e.members()) {
        if (m.in()) {
          in.add(m.address());
        }
      }
      if (e.deterministic()) {
        assertEquals(e.answer(), addresses(first), what);
        PoolExplanation again = pool.explain(Type.A, client); // the rotation moved on: so does explain
        assertEquals(again.answer(), addresses(pool.answer(WWW, Type.A, client)), what);
      } else {
        drawnChecked++;
        int draws = 4000;
        double[] seen = new double[n];
        Set<String> appeared = new HashSet<>(addresses(first));
        for (int q = 0; q < draws; q++) {
          List<String> a = addresses(pool.answer(WWW, Type.A, client));
          appeared.addAll(a);
          seen[Integer.parseInt(a.get(0).substring(8)) - 10]++;
        }
        assertTrue(in.containsAll(appeared), what + "\nappeared " + appeared + " but in " + in);
        for (PoolExplanation.Member m : e.members()) {
          double p = seen[m.index()] / draws;
          assertEquals(m.probability(), p, 0.035, what + "\n" + m);
        }
      }
    }
    assertTrue(drawnChecked > 20, "drawn policies were checked " + drawnChecked + " times");
  }

  private static List<String> addresses(PoolAnswer a) {
    List<String> out = new ArrayList<>();
    for (Record rec : a.records()) {
      out.add(rec.rdataToString());
    }
    return out;
  }

  private static Name name(String s) {
    try {
      return Name.fromString(s);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
