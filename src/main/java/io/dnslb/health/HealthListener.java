package io.dnslb.health;

/** Told once per state change of one target; called off the query path, on a prober thread. */
@FunctionalInterface
public interface HealthListener {
  void onChange(boolean up, String reason);
}
