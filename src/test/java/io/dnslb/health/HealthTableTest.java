package io.dnslb.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthTableTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final HealthTable table = new HealthTable(scheduler);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  /** A reader over some keys' rows that counts its rebuilds. */
  private final class Counting implements HealthTable.Reader {
    final int[] slots;
    final AtomicInteger rebuilds = new AtomicInteger();

    Counting(String prefix, int members) {
      slots = new int[members];
      for (int i = 0; i < members; i++) {
        slots[i] = table.slot(prefix + i);
      }
    }

    @Override
    public int[] slots() {
      return slots;
    }

    @Override
    public void healthChanged() {
      rebuilds.incrementAndGet();
    }
  }

  @Test
  void aBurstOfVerdictsRebuildsEachReaderOnceNotOncePerMember() throws Exception {
    Counting big = new Counting("big/", 10_000);
    Counting other = new Counting("other/", 3);
    table.rebind(List.of(big, other));
    big.rebuilds.set(0);
    other.rebuilds.set(0);
    // Hold the scheduler so that the whole burst lands before the batch runs, however slowly
    // this machine reports: the count is then exact.
    CountDownLatch release = new CountDownLatch(1);
    scheduler.execute(() -> awaitQuietly(release));
    for (int i = 0; i < 10_000; i++) {
      table.report("big/" + i, HealthState.UP); // a 10,000-member pool's first probe round
    }
    release.countDown();
    assertTrue(waitFor(() -> big.rebuilds.get() > 0), "the batch never ran");
    scheduler.submit(() -> { }).get(5, TimeUnit.SECONDS);
    assertEquals(1, big.rebuilds.get());
    assertEquals(0, other.rebuilds.get(), "a reader of other rows is not rebuilt");
    assertEquals(HealthState.UP, table.state(big.slots[9_999]));
  }

  @Test
  void aRepeatedVerdictOrAnUnknownKeyChangesNothing() {
    Counting pool = new Counting("p/", 2);
    table.rebind(List.of(pool));
    table.report("p/0", HealthState.DOWN);
    table.flush();
    assertEquals(2, pool.rebuilds.get(), "one rebuild at rebind, one for the change");
    table.report("p/0", HealthState.DOWN);
    table.report("gone/0", HealthState.DOWN); // a probe that finished after its member left
    table.flush();
    assertEquals(2, pool.rebuilds.get());
    assertEquals(-1, table.find("gone/0"));
  }

  @Test
  void aRebindKeepsSurvivorsRowsAndFreesTheRest() {
    Counting before = new Counting("m/", 3);
    table.rebind(List.of(before));
    table.report("m/0", HealthState.DOWN);
    table.report("m/2", HealthState.UP);
    int survivor = table.slot("m/0");

    // The reload keeps m/0 and m/2, drops m/1 and adds n/0.
    int[] slots = {table.slot("m/0"), table.slot("m/2"), table.slot("n/0")};
    HealthTable.Reader after = new HealthTable.Reader() {
      @Override
      public int[] slots() {
        return slots;
      }

      @Override
      public void healthChanged() {}
    };
    table.rebind(List.of(after));
    assertEquals(survivor, slots[0]);
    assertEquals(HealthState.DOWN, table.state(slots[0]));
    assertEquals(HealthState.UP, table.state(slots[1]));
    assertEquals(HealthState.UNKNOWN, table.state(slots[2]));
    assertEquals(-1, table.find("m/1"));

    int reused = table.slot("n/1");
    assertEquals(before.slots[1], reused, "a freed row is reused");
    assertEquals(HealthState.UNKNOWN, table.state(reused));
    assertNotEquals(-1, table.find("n/1"));

    int rebuilt = before.rebuilds.get();
    table.report("m/0", HealthState.UP);
    table.flush();
    assertEquals(rebuilt, before.rebuilds.get(), "the old binding no longer reads the table");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }
}
