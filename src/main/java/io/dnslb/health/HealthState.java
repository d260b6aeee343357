package io.dnslb.health;

/** What the prober believes about a member. UNKNOWN only until its first probe result. */
public enum HealthState {
  UNKNOWN,
  UP,
  DOWN;

  /** Lower-case name for logs, JSON and metric labels. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
