package io.dnslb.health;

/**
 * A member's health, as its prober (and, in the {@link HealthTable}, whatever else decides) sees
 * it. UNKNOWN until the first verdict; answers treat it as up, so a fresh server answers at once.
 */
public enum HealthState {
  UNKNOWN,
  UP,
  DOWN;

  /** Lower-case name for logs, JSON and metric labels. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
