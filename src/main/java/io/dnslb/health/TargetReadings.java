package io.dnslb.health;

/**
 * What the pools' refresher reads of one probe target twice a second. Resolved once per load by
 * key ({@link Prober#readings}), so a tick over 10,000 members looks no key up; a target that a
 * later {@link Prober#setTargets} removed reads as {@link #NONE} from then on, as its key would.
 */
public interface TargetReadings {
  /** An unknown or removed target: no load figure, a state that never changes. */
  TargetReadings NONE = new TargetReadings() {
    @Override
    public boolean readsLoad() {
      return false;
    }

    @Override
    public double loadFactor() {
      return 1.0;
    }

    @Override
    public long earliestChangeMillis() {
      return Long.MAX_VALUE;
    }
  };

  /** Whether the target's check reads a load figure; if not, {@link #loadFactor} stays 1. */
  boolean readsLoad();

  /** See {@link Prober#loadFactor}. */
  double loadFactor();

  /**
   * The earliest time (clock millis) at which the target's state could change: its next probe
   * plus one interval for each further result the change needs (jitter only adds to that), so
   * an answer cached until then cannot outlive the state it was built from. Long.MAX_VALUE for
   * targets whose state cannot change (type none); "now" while a probe runs.
   */
  long earliestChangeMillis();
}
