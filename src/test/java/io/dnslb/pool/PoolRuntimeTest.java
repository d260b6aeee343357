package io.dnslb.pool;

import static io.dnslb.pool.PoolFixtures.webPool;
import static io.dnslb.pool.PoolFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.config.ConfigError;
import io.dnslb.health.HealthState;
import io.dnslb.health.HealthTable;
import io.dnslb.wire.ClientSubnet;
import io.dnslb.zone.ZoneSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class PoolRuntimeTest {
  private static final Name WWW = name("www.lb.example.com.");
  private static final ClientSubnet CLIENT =
      new ClientSubnet(1, new byte[] {(byte) 198, 51, 100, 7}, 32, false);

  private static ScheduledExecutorService scheduler;

  @TempDir Path dir;
  private final SplittableRandom random = new SplittableRandom(11);
  private HealthTable table;

  @BeforeAll
  static void startScheduler() {
    scheduler = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterAll
  static void stopScheduler() {
    scheduler.shutdownNow();
  }

  @BeforeEach
  void newTable() {
    table = new HealthTable(scheduler);
  }

  @Test
  void answersEachFamilyFromItsOwnMembersWithPrebuiltRecords() throws Exception {
    PoolRuntime pool = pool("ttl = 20s", "members = [",
        "{ address = \"192.0.2.10\" }", "{ address = \"2001:db8::10\" }",
        "{ address = \"192.0.2.11\" }", "]");
    PoolAnswer a = pool.answer(name("WWW.lb.example.com."), Type.A, CLIENT);
    assertEquals(Set.of("192.0.2.10", "192.0.2.11"), addresses(a));
    assertFalse(a.servfail());
    assertEquals(0, a.ecsScope());
    Record r = a.records().get(0);
    assertEquals(WWW, r.getName());
    assertEquals(20, r.getTTL());
    assertEquals(Set.of("2001:db8:0:0:0:0:0:10"), addresses(pool.answer(WWW, Type.AAAA, CLIENT)));
    assertTrue(pool.answer(WWW, Type.MX, CLIENT).records().isEmpty());
  }

  @Test
  void aFamilyWithoutServableMembersIsNodata() throws Exception {
    PoolRuntime pool = pool("members = [",
        "{ address = \"192.0.2.10\" }", "{ address = \"2001:db8::10\", admin = drain }", "]");
    PoolAnswer aaaa = pool.answer(WWW, Type.AAAA, CLIENT);
    assertTrue(aaaa.records().isEmpty());
    assertFalse(aaaa.servfail());
  }

  @Test
  void aDownMemberLeavesTheAnswerAndComesBackWhenUp() throws Exception {
    PoolRuntime pool = pool("members = [",
        "{ address = \"192.0.2.10\" }", "{ address = \"192.0.2.11\" }", "]");
    setHealth(pool, 0, false);
    assertEquals(HealthState.DOWN, pool.health(0));
    assertEquals(Set.of("192.0.2.11"), addresses(pool.answer(WWW, Type.A, CLIENT)));
    setHealth(pool, 0, true);
    assertEquals(Set.of("192.0.2.10", "192.0.2.11"), addresses(pool.answer(WWW, Type.A, CLIENT)));
  }

  @Test
  void allDownFailsOpenOverMembersTheOperatorDidNotTakeOut() throws Exception {
    PoolRuntime pool = pool("members = [",
        "{ address = \"192.0.2.10\" }", "{ address = \"192.0.2.11\" }",
        "{ address = \"192.0.2.12\", admin = down }", "{ address = \"192.0.2.13\", admin = drain }",
        "]");
    setHealth(pool, 0, false);
    setHealth(pool, 1, false);
    assertEquals(Set.of("192.0.2.10", "192.0.2.11"), addresses(pool.answer(WWW, Type.A, CLIENT)));
  }

  @Test
  void allDownWithServfailSaysSo() throws Exception {
    PoolRuntime pool = pool("when-all-down = servfail", "members = [",
        "{ address = \"192.0.2.10\" }", "{ address = \"2001:db8::10\" }", "]");
    setHealth(pool, 0, false);
    assertTrue(pool.answer(WWW, Type.A, CLIENT).servfail());
    assertFalse(pool.answer(WWW, Type.AAAA, CLIENT).servfail());
  }

  @Test
  void adminUpAndDownOverrideHealth() throws Exception {
    PoolRuntime pool = pool("when-all-down = servfail", "members = [",
        "{ address = \"192.0.2.10\", admin = up }", "{ address = \"192.0.2.11\", admin = down }",
        "]");
    setHealth(pool, 0, false);
    setHealth(pool, 1, true);
    assertEquals(Set.of("192.0.2.10"), addresses(pool.answer(WWW, Type.A, CLIENT)));
  }

  @Test
  void weightZeroServesOnlyWhenEveryOtherMemberIsDown() throws Exception {
    PoolRuntime pool = pool("policy = weighted", "members = [",
        "{ address = \"192.0.2.10\", weight = 0 }", "{ address = \"192.0.2.11\" }", "]");
    for (int q = 0; q < 200; q++) {
      assertEquals(Set.of("192.0.2.11"), addresses(pool.answer(WWW, Type.A, CLIENT)));
    }
    setHealth(pool, 1, false);
    assertEquals(Set.of("192.0.2.10"), addresses(pool.answer(WWW, Type.A, CLIENT)));
  }

  @Test
  void failoverMovesToTheNextTierWhenTheFirstIsDown() throws Exception {
    PoolRuntime pool = pool("policy = failover", "members = [",
        "{ address = \"192.0.2.10\" }", "{ address = \"192.0.2.20\", priority = 2 }", "]");
    assertEquals(Set.of("192.0.2.10"), addresses(pool.answer(WWW, Type.A, CLIENT)));
    setHealth(pool, 0, false);
    assertEquals(Set.of("192.0.2.20"), addresses(pool.answer(WWW, Type.A, CLIENT)));
  }

  @Test
  void inRotationIsWhatTheNextAnswerCanContain() throws Exception {
    PoolRuntime pool = pool("policy = failover", "members = [",
        "{ address = \"192.0.2.10\" }", "{ address = \"192.0.2.11\", admin = drain }",
        "{ address = \"192.0.2.20\", priority = 2 }", "{ address = \"192.0.2.21\", weight = 0 }", "]");
    // drained: never; tier 2: not while tier 1 serves; weight 0: only when all others are down
    assertEquals(List.of(true, false, false, false), rotation(pool));
    setHealth(pool, 0, false);
    assertEquals(List.of(false, false, true, false), rotation(pool));
    assertFalse(pool.failingOpen());
  }

  @Test
  void failingOpenIsAStateAWarnWhenItStartsAndAnInfoWhenItEnds() throws Exception {
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger)
        org.slf4j.LoggerFactory.getLogger(PoolRuntime.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events =
        new ch.qos.logback.core.read.ListAppender<>();
    events.start();
    logger.addAppender(events);
    try {
      PoolRuntime pool = pool("members = [", "{ address = \"192.0.2.10\" }",
          "{ address = \"192.0.2.11\" }", "]");
      setHealth(pool, 0, false);
      assertFalse(pool.failingOpen());
      setHealth(pool, 1, false);
      assertTrue(pool.failingOpen());
      assertEquals(List.of(true, true), rotation(pool));
      setHealth(pool, 0, false); // no change, no line
      setHealth(pool, 1, true);
      assertFalse(pool.failingOpen());
      assertEquals(List.of(
          "WARN pool web failing open: every member is down, answering as if all were up",
          "INFO pool web no longer failing open: a member is up again"),
          events.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList());
    } finally {
      logger.detachAppender(events);
    }
  }

  @Test
  void eachMemberCountsTheAnswersItIsIn() throws Exception {
    PoolRuntime pool = pool("policy = weighted", "members = [",
        "{ address = \"192.0.2.10\", weight = 3 }", "{ address = \"192.0.2.11\", weight = 1 }", "]");
    java.util.concurrent.atomic.LongAdder[] counts = {
        new java.util.concurrent.atomic.LongAdder(), new java.util.concurrent.atomic.LongAdder()};
    pool.countMemberAnswersIn(counts);
    int[] out = new int[1];
    for (int q = 0; q < 2000; q++) {
      if (q % 2 == 0) {
        pool.select(Type.A, CLIENT, out); // the fast path
      } else {
        pool.answer(WWW, Type.A, CLIENT); // the general path
      }
    }
    assertEquals(2000, counts[0].sum() + counts[1].sum());
    assertTrue(counts[0].sum() > 2 * counts[1].sum(), counts[0] + " vs " + counts[1]);
  }

  private static List<Boolean> rotation(PoolRuntime pool) {
    List<Boolean> out = new java.util.ArrayList<>();
    for (int i = 0; i < pool.config().members().size(); i++) {
      out.add(pool.inRotation(i));
    }
    return out;
  }

  @Test
  void stickyAnswersCarryTheirScope() throws Exception {
    PoolRuntime pool = pool("policy = sticky", "sticky { ipv4-prefix = 20 }",
        "members = [{ address = \"192.0.2.10\" }]");
    assertEquals(20, pool.answer(WWW, Type.A, CLIENT).ecsScope());
  }

  @Test
  void answerLimitHolds() throws Exception {
    PoolRuntime pool = pool("answers = 2", "members = [", "{ address = \"192.0.2.10\" }",
        "{ address = \"192.0.2.11\" }", "{ address = \"192.0.2.12\" }", "]");
    assertEquals(2, pool.answer(WWW, Type.A, CLIENT).records().size());
  }

  @Test
  void aNameOfAnotherPoolIsAProgrammingError() throws Exception {
    PoolRuntime pool = pool("members = [{ address = \"192.0.2.10\" }]");
    assertThrows(IllegalArgumentException.class,
        () -> pool.answer(name("api.lb.example.com."), Type.A, CLIENT));
  }

  @Test
  void aReloadedPoolReadsTheRowsOfMembersWithTheSameKey() throws Exception {
    PoolRuntime old = pool("check { port = 80 }", "members = [",
        "{ address = \"192.0.2.10\" }", "{ address = \"192.0.2.11\" }",
        "{ address = \"192.0.2.12\" }", "]");
    setHealth(old, 0, false);
    setHealth(old, 1, false);
    setHealth(old, 2, true);
    // Reordered; .11 now has another check, so its old verdict no longer applies.
    PoolRuntime fresh = unbound("check { port = 80 }", "members = [",
        "{ address = \"192.0.2.12\" }", "{ address = \"192.0.2.11\", check { port = 81 } }",
        "{ address = \"192.0.2.10\" }", "{ address = \"192.0.2.13\" }", "]");
    String oldEleven = old.config().members().get(1).key();
    fresh.bind(table);
    table.rebind(List.of(fresh));
    assertEquals(HealthState.UP, fresh.health(0));
    assertEquals(HealthState.UNKNOWN, fresh.health(1));
    assertEquals(HealthState.DOWN, fresh.health(2));
    assertEquals(HealthState.UNKNOWN, fresh.health(3));
    assertEquals(Set.of("192.0.2.11", "192.0.2.12", "192.0.2.13"),
        addresses(fresh.answer(WWW, Type.A, CLIENT)));
    assertEquals(-1, table.find(oldEleven), "a key no pool reads any more leaves the table");

    setHealth(fresh, 0, false); // only the bound pool follows the table now
    assertEquals(Set.of("192.0.2.11", "192.0.2.13"), addresses(fresh.answer(WWW, Type.A, CLIENT)));
  }

  @Test
  void queriesDuringHealthFlapsAlwaysSeeAWholeSelection() throws Exception {
    PoolRuntime pool = pool("when-all-down = servfail", "members = [",
        "{ address = \"192.0.2.10\" }", "{ address = \"192.0.2.11\", admin = up }", "]");
    PoolRuntime threadSafe = new PoolRuntime(pool.config(), ThreadLocalRandom::current);
    threadSafe.bind(table);
    table.rebind(List.of(threadSafe));
    AtomicBoolean stop = new AtomicBoolean();
    Thread prober = new Thread(() -> {
      for (int i = 0; !stop.get(); i++) {
        setHealth(threadSafe, i % 2, i % 3 == 0);
      }
    });
    prober.start();
    try {
      for (int q = 0; q < 100_000; q++) {
        PoolAnswer a = threadSafe.answer(WWW, Type.A, CLIENT);
        assertFalse(a.servfail(), "an admin=up member is always up");
        assertFalse(a.records().isEmpty());
      }
    } finally {
      stop.set(true);
      prober.join();
    }
  }

  /** A pool bound to the test's health table, its only reader. */
  private PoolRuntime pool(String... body) throws ConfigError {
    PoolRuntime pool = unbound(body);
    pool.bind(table);
    table.rebind(List.of(pool));
    return pool;
  }

  /** Reports a member's verdict to the table as the prober would, and applies it at once. */
  private void setHealth(PoolRuntime pool, int member, boolean up) {
    table.report(pool.config().members().get(member).key(),
        up ? HealthState.UP : HealthState.DOWN);
    table.flush();
  }

  private PoolRuntime unbound(String... body) throws ConfigError {
    ZoneSet zones = PoolFixtures.zones(dir);
    String[] lines = new String[body.length + 1];
    lines[0] = "names = [\"www.lb.example.com.\"]";
    System.arraycopy(body, 0, lines, 1, body.length);
    write(dir, "a.pools.conf", webPool(lines));
    return new PoolRuntime(PoolDirectory.configs(dir, zones).get(0), () -> random);
  }

  private static Set<String> addresses(PoolAnswer answer) {
    Set<String> s = new TreeSet<>();
    for (Record r : answer.records()) {
      s.add(r.rdataToString());
    }
    return s;
  }

  private static Name name(String s) {
    try {
      return Name.fromString(s);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
