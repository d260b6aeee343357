package io.dnslb.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dnslb.time.ManualTicker;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HealthTrackerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final ManualTicker clock = new ManualTicker(T0);

  private static ProbeResult pass() {
    return ProbeResult.pass("HTTP 200", 1_000_000);
  }

  private static ProbeResult fail() {
    return ProbeResult.fail("HTTP 503", 2_000_000);
  }

  @Test
  void firstResultDecidesAtOnce() {
    HealthTracker up = new HealthTracker(2, 3, clock);
    assertEquals(new HealthTracker.Transition(HealthState.UNKNOWN, HealthState.UP, "HTTP 200"), up.record(pass()));
    HealthTracker down = new HealthTracker(2, 3, clock);
    assertEquals(HealthState.DOWN, down.record(fail()).to());
  }

  @Test
  void fallsOnlyAfterFallFailuresInARow() {
    HealthTracker t = new HealthTracker(2, 3, clock);
    t.record(pass());
    assertNull(t.record(fail()));
    assertNull(t.record(fail()));
    assertNull(t.record(pass()), "a pass resets the failure run");
    assertNull(t.record(fail()));
    assertNull(t.record(fail()));
    assertEquals(new HealthTracker.Transition(HealthState.UP, HealthState.DOWN, "HTTP 503"), t.record(fail()));
    assertNull(t.record(fail()), "a change is reported once");
  }

  @Test
  void risesOnlyAfterRisePassesInARow() {
    HealthTracker t = new HealthTracker(2, 3, clock);
    t.record(fail());
    assertNull(t.record(pass()));
    assertNull(t.record(fail()));
    assertNull(t.record(pass()));
    assertEquals(HealthState.UP, t.record(pass()).to());
    assertEquals(HealthState.UP, t.state());
  }

  @Test
  void newThresholdsKeepTheRunSoFar() {
    HealthTracker t = new HealthTracker(5, 5, clock);
    t.record(pass());
    t.record(fail());
    t.record(fail());
    assertEquals(3, t.probesToChange(), "fall 5, two failures so far");
    t.setThresholds(2, 3, false);
    assertEquals(1, t.probesToChange(), "the lock-free figure follows new thresholds");
    assertEquals(t.status().probesToChange(), t.probesToChange());
    assertEquals(HealthState.DOWN, t.record(fail()).to());
  }

  @Test
  void statusCarriesLastResultAndChangeTime() {
    ManualTicker moving = new ManualTicker(T0);
    HealthTracker t = new HealthTracker(1, 2, moving);
    assertEquals(new TargetStatus(HealthState.UNKNOWN, null, "", -1, null, 0, 0, 1, 2, false, Double.NaN), t.status());
    t.record(pass());
    moving.advance(Duration.ofSeconds(5));
    t.record(fail());
    assertEquals(new TargetStatus(HealthState.UP, T0, "HTTP 503", 2_000_000, T0.plusSeconds(5), 0, 1, 1, 2, false, Double.NaN), t.status());
    assertEquals(1, t.status().probesToChange());
    assertEquals(t.status().probesToChange(), t.probesToChange());
  }

  @Test
  void fastFailTakesARefusedMemberDownAtOnceButRecoveryStillNeedsRise() {
    HealthTracker t = new HealthTracker(2, 3, true, clock);
    t.record(pass());
    assertEquals(1, t.status().probesToChange(), "one refused probe could take it down");
    assertNull(t.record(fail()), "a bad status still counts toward fall");
    assertEquals(HealthState.DOWN, t.record(ProbeResult.refused("connect refused", 1)).to());
    for (int i = 0; i < 5; i++) { // flapping: refusing every other probe never reaches rise = 2
      assertNull(t.record(pass()));
      assertNull(t.record(ProbeResult.refused("connect refused", 1)));
    }
    assertEquals(2, t.status().probesToChange());
    assertNull(t.record(pass()));
    assertEquals(HealthState.UP, t.record(pass()).to());
    HealthTracker slow = new HealthTracker(2, 3, false, clock);
    slow.record(pass());
    assertNull(slow.record(ProbeResult.refused("connect refused", 1)), "without fast-fail: fall counts");
    assertEquals(2, slow.status().probesToChange());
  }

  @Test
  void loadIsAMovingAverageAndAPassWithoutAFigureClearsIt() {
    HealthTracker t = new HealthTracker(2, 3, clock);
    t.record(pass().withLoad(80));
    assertEquals(80, t.status().load(), 1e-9);
    t.record(pass().withLoad(40));
    assertEquals(80 + HealthTracker.LOAD_ALPHA * (40 - 80), t.status().load(), 1e-9);
    t.record(fail());
    assertEquals(68, t.status().load(), 1e-9, "a failed probe says nothing about load");
    t.record(pass());
    assertEquals(true, Double.isNaN(t.status().load()));
  }
}
