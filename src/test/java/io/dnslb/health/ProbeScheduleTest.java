package io.dnslb.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The prober's schedule: probes spread evenly over the interval, one interval apart. */
class ProbeScheduleTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void tenThousandTargetsMakeASteadyRateNotABurst() {
    int targets = 10_000;
    int buckets = 100; // 10 ms each over a 1 s interval: 100 probes per bucket if perfectly even
    int[] perBucket = new int[buckets];
    for (int n = 0; n < targets; n++) {
      long start = Prober.nextStart(0, Prober.phase(n), SECOND, 5 * SECOND);
      perBucket[(int) (start % SECOND / (SECOND / buckets))]++;
    }
    for (int count : perBucket) {
      assertTrue(count >= 95 && count <= 105, "uneven: " + java.util.Arrays.toString(perBucket));
    }
    // and the first few already spread: no two of the first 10 within 3 % of the interval
    for (int i = 0; i < 10; i++) {
      for (int j = 0; j < i; j++) {
        double d = Math.abs(Prober.phase(i) - Prober.phase(j));
        assertTrue(Math.min(d, 1 - d) > 0.03, i + " and " + j + " too close");
      }
    }
  }

  @Test
  void steadyStateIsExactlyOneIntervalAndTheSecondProbeComesWithinHalfToOneAndAHalf() {
    long origin = 123_456_789L;
    double phase = 0.3;
    long onGrid = origin + (long) (phase * SECOND) + 7 * SECOND;
    assertEquals(onGrid + SECOND, Prober.nextStart(origin, phase, SECOND, onGrid));
    assertEquals(onGrid + SECOND, Prober.nextStart(origin, phase, SECOND, onGrid + 40_000_000L),
        "a late start keeps the grid");
    for (long first = origin; first < origin + 3 * SECOND; first += 7_777_777L) {
      long second = Prober.nextStart(origin, phase, SECOND, first);
      assertTrue(second - first >= SECOND / 2 && second - first < 3 * SECOND / 2,
          "second probe " + (second - first) + " ns after the first");
      assertEquals(0, Math.floorMod(second - origin - (long) (phase * SECOND), SECOND), "off the grid");
    }
  }
}
