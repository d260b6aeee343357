package io.dnslb.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fleet's place in the table: its decision beats the own verdict, which it is told of. */
class HealthTableFleetTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final HealthTable table = new HealthTable(scheduler);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void theFleetsDecisionIsWhatAnswersUseAndOwnVerdictsArePassedOn() {
    List<String> heard = new ArrayList<>();
    table.onOwn((key, own) -> heard.add(key + "=" + own.label()));
    int slot = table.slot("web|192.0.2.1|{}");
    table.report("web|192.0.2.1|{}", HealthState.DOWN);
    assertEquals(HealthState.DOWN, table.state(slot), "before any fleet decision: the own verdict");
    table.fleet("web|192.0.2.1|{}", HealthState.UP); // the others can reach it: a partial view
    assertEquals(HealthState.UP, table.state(slot));
    assertEquals(HealthState.DOWN, table.own(slot));
    table.report("web|192.0.2.1|{}", HealthState.UP);
    assertEquals(List.of("web|192.0.2.1|{}=down", "web|192.0.2.1|{}=up"), heard);
    table.report("unbound key", HealthState.UP);
    table.fleet("unbound key", HealthState.UP);
    assertEquals(2, heard.size(), "a key no binding uses is ignored");
  }
}
