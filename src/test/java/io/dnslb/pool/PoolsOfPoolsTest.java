package io.dnslb.pool;

import static io.dnslb.pool.PoolFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.health.HealthState;
import io.dnslb.health.HealthTable;
import io.dnslb.wire.ClientSubnet;
import io.dnslb.zone.ZoneSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Pools of pools without a socket: both selection entry points, health flowing up, min-healthy. */
class PoolsOfPoolsTest {
  @TempDir Path dir;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final HealthTable table = new HealthTable(scheduler);

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  /** Reports a member's verdict to the table, as the prober would, and applies it at once. */
  private void setHealth(PoolRuntime pool, int member, boolean up) {
    table.report(pool.config().members().get(member).key(),
        up ? HealthState.UP : HealthState.DOWN);
    table.flush();
    pool.healthChanged(); // waits for a rebuild the table's scheduler may be running, then ours
  }

  static final ClientSubnet LAB = new ClientSubnet(1, new byte[] {127, 0, 0, 1}, 32, false);
  static final ClientSubnet ELSEWHERE = new ClientSubnet(1, new byte[] {8, 8, 8, 8}, 32, false);

  Pools load(String policy, String topology) throws Exception {
    ZoneSet zones = PoolFixtures.zones(dir);
    write(dir, "nets.conf", "127.0.0.0/8 lab\n");
    write(dir, "a.pools.conf", """
        pools {
          eu-web {
            min-healthy = 2
            members = [{ address = "192.0.2.31" }, { address = "192.0.2.32" }]
          }
          us-web { ttl = 5s, members = [{ address = "192.0.2.41" }] }
          web {
            names = ["www.lb.example.com."]
            policy = %s
            %s
            members = [{ pool = "eu-web", priority = 1 }, { pool = "us-web", priority = 2 }]
          }
        }
        """.formatted(policy, topology));
    Pools pools = PoolDirectory.load(dir, zones);
    List<PoolRuntime> runtimes = pools.all().stream().map(p -> (PoolRuntime) p).toList();
    runtimes.forEach(p -> p.bind(table));
    table.rebind(runtimes);
    return pools;
  }

  static final String TOPOLOGY = """
      topology {
        networks = "nets.conf"
        regions {
          lab     { pools = [eu-web, us-web] }
          default { pools = [us-web, eu-web] }
        }
      }
      """;

  static PoolRuntime pool(Pools pools, String id) {
    return (PoolRuntime) pools.all().stream().filter(p -> p.id().equals(id)).findFirst()
        .orElseThrow();
  }

  /** The addresses both entry points answer, which must agree. */
  static Set<String> answer(PoolRuntime web, ClientSubnet client) throws Exception {
    PoolAnswer a = web.answer(Name.fromString("www.lb.example.com."), Type.A, client);
    Set<String> general = new TreeSet<>();
    for (Record r : a.records()) {
      general.add(((ARecord) r).getAddress().getHostAddress());
    }
    int[] out = new int[web.maxAnswers()];
    int n = web.select(Type.A, client, out);
    Set<String> fast = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      fast.add(web.leaves().get(out[i]).member().address().getHostAddress());
    }
    assertEquals(general, fast, "both query paths agree");
    return general;
  }

  @Test
  void failoverOverPoolMembersMovesWhenTheFirstSiteFallsBelowMinHealthy() throws Exception {
    Pools pools = load("failover", "");
    PoolRuntime web = pool(pools, "web");
    PoolRuntime eu = pool(pools, "eu-web");
    // Round-robin eu-web answers both of its members, under the parent's name.
    assertEquals(Set.of("192.0.2.31", "192.0.2.32"), answer(web, LAB));
    setHealth(eu, 1, false);
    assertEquals(Set.of("192.0.2.41"), answer(web, LAB));
    assertEquals(HealthState.DOWN, web.health(0));
    setHealth(eu, 1, true);
    assertEquals(HealthState.UP, web.health(0));
    assertTrue(Set.of("192.0.2.31", "192.0.2.32").containsAll(answer(web, LAB)));
    // The child's own TTL travels with its records.
    setHealth(eu, 0, false);
    PoolAnswer a = web.answer(Name.fromString("www.lb.example.com."), Type.A, LAB);
    assertEquals(5, a.records().get(0).getTTL());
  }

  @Test
  void topologyAnswersFromTheRegionsFirstServingSiteOnBothPaths() throws Exception {
    Pools pools = load("topology", TOPOLOGY);
    PoolRuntime web = pool(pools, "web");
    PoolRuntime eu = pool(pools, "eu-web");
    PoolRuntime us = pool(pools, "us-web");
    assertTrue(Set.of("192.0.2.31", "192.0.2.32").containsAll(answer(web, LAB)));
    assertEquals(Set.of("192.0.2.41"), answer(web, ELSEWHERE));
    for (boolean[] state : new boolean[][] {{false, false, true}, {false, true, true},
        {true, true, false}, {false, false, false}, {true, true, true}}) {
      setHealth(eu, 0, state[0]);
      setHealth(eu, 1, state[1]);
      setHealth(us, 0, state[2]);
      List<Set<String>> seen = new ArrayList<>();
      seen.add(answer(web, LAB));
      seen.add(answer(web, ELSEWHERE));
      boolean euServes = state[0] && state[1];
      boolean usServes = state[2];
      Set<String> euSet = Set.of("192.0.2.31", "192.0.2.32");
      // lab: eu-web first; fail-open (nothing serving) answers from the first site too.
      assertTrue((euServes || !usServes ? euSet : Set.of("192.0.2.41")).containsAll(seen.get(0)),
          () -> "lab " + seen);
      assertEquals(usServes || !euServes, seen.get(1).equals(Set.of("192.0.2.41")),
          () -> "elsewhere " + seen);
    }
  }

  @Test
  void explainNamesTheRegionItsListAndTheServingSiteWithTheSitesOwnExplanationNested()
      throws Exception {
    Pools pools = load("topology", TOPOLOGY);
    PoolRuntime web = pool(pools, "web");
    PoolRuntime eu = pool(pools, "eu-web");
    PoolExplanation e = web.explain(Type.A, LAB);
    assertEquals("answer", e.outcome());
    assertTrue(e.rule().contains("region lab") && e.rule().contains("eu-web, us-web"), e.rule());
    assertEquals("eu-web", e.viaPool());
    assertEquals(answer(web, LAB), new TreeSet<>(e.answer()));
    assertEquals("pool eu-web", e.members().get(0).address());
    assertTrue(e.members().get(0).in());
    assertTrue(e.members().get(1).why().contains("waits behind"), e.members().get(1).why());
    assertEquals(List.of("192.0.2.31", "192.0.2.32"),
        e.via().members().stream().map(PoolExplanation.Member::address).toList());
    // eu-web below min-healthy: the lab region is explained as skipping it for us-web.
    setHealth(eu, 1, false);
    e = web.explain(Type.A, LAB);
    assertEquals("us-web", e.viaPool());
    assertEquals(List.of("192.0.2.41"), e.answer());
    assertEquals(answer(web, LAB), new TreeSet<>(e.answer()));
    assertEquals(5, e.ttl());
    String why = e.members().get(0).why();
    assertTrue(why.contains("not serving") && why.contains("serves 1 of 2"), why);
    assertEquals("down", e.members().get(0).health());
  }

  @Test
  void aSitesAutoTtlIsTheTtlOfItsAnswersThroughTheParentOnBothPaths() throws Exception {
    ZoneSet zones = PoolFixtures.zones(dir);
    write(dir, "a.pools.conf", """
        pools {
          eu-web { ttl = auto, ttl-max = 60s, members = [{ address = "192.0.2.31" }] }
          web {
            names = ["www.lb.example.com."]
            policy = failover
            ttl = 30s
            members = [{ pool = "eu-web" }, { address = "192.0.2.9", priority = 2 }]
          }
        }
        """);
    Pools pools = PoolDirectory.load(dir, zones);
    List<PoolRuntime> runtimes = pools.all().stream().map(p -> (PoolRuntime) p).toList();
    runtimes.forEach(p -> p.bind(table));
    table.rebind(runtimes);
    PoolRuntime web = pool(pools, "web");
    PoolRuntime eu = pool(pools, "eu-web");
    long now = System.currentTimeMillis();
    eu.refresh(now, new double[] {1.0}, new long[] {now + 10_500}, 500);
    PoolAnswer a = web.answer(Name.fromString("www.lb.example.com."), Type.A, LAB);
    assertEquals(10, a.records().get(0).getTTL(), "the site's auto TTL, not the parent's 30 s");
    int[] out = new int[web.maxAnswers()];
    int n = web.select(Type.A, LAB, out);
    assertEquals(10, web.ttl(out, n), "the fast path rewrites the same TTL");
    PoolExplanation e = web.explain(Type.A, LAB);
    assertEquals(10, e.ttl());
    assertTrue(e.ttlReason().startsWith("from pool eu-web: ttl = auto"), e.ttlReason());
    // The parent's own address answers with the parent's fixed TTL: the records carry it.
    setHealth(eu, 0, false);
    n = web.select(Type.A, LAB, out);
    assertEquals(-1, web.ttl(out, n));
    assertEquals(30, web.answer(Name.fromString("www.lb.example.com."), Type.A, LAB)
        .records().get(0).getTTL());
  }

  @Test
  void aGrandchildsAutoTtlReachesTheTopAndItsAddressesSitAtTheirFlatIndex() throws Exception {
    ZoneSet zones = PoolFixtures.zones(dir);
    write(dir, "a.pools.conf", """
        pools {
          rack { ttl = auto, ttl-max = 60s, members = [{ address = "192.0.2.51" },
              { address = "192.0.2.52" }] }
          eu-web { ttl = 20s, members = [{ address = "192.0.2.31" }, { pool = "rack" }],
              policy = failover }
          web {
            names = ["www.lb.example.com."]
            policy = failover
            ttl = 30s
            members = [{ address = "192.0.2.9", priority = 2 }, { pool = "eu-web" }]
          }
        }
        """);
    Pools pools = PoolDirectory.load(dir, zones);
    List<PoolRuntime> runtimes = pools.all().stream().map(p -> (PoolRuntime) p).toList();
    runtimes.forEach(p -> p.bind(table));
    table.rebind(runtimes);
    PoolRuntime web = pool(pools, "web");
    PoolRuntime eu = pool(pools, "eu-web");
    PoolRuntime rack = pool(pools, "rack");
    long now = System.currentTimeMillis();
    rack.refresh(now, new double[] {1.0, 1.0}, new long[] {now + 12_500, now + 7_500}, 500);
    setHealth(eu, 0, false); // eu-web's own address down: its rack answers, twice nested
    assertTrue(Set.of("192.0.2.51", "192.0.2.52").containsAll(answer(web, LAB)));
    PoolAnswer a = web.answer(Name.fromString("www.lb.example.com."), Type.A, LAB);
    assertEquals(2, a.records().size(), "the rack's round-robin answers both");
    assertEquals(7, a.records().get(0).getTTL(),
        "the rack's auto TTL (the lower of its two), not eu-web's 20 s or web's 30 s");
    int[] out = new int[web.maxAnswers()];
    int n = web.select(Type.A, LAB, out);
    assertEquals(2, n);
    assertEquals(7, web.ttl(out, n), "the fast path rewrites the same TTL");
  }
}
