package io.dnslb.pool;

/** A member's health as the prober last reported it. */
public enum Health {
  /** Not probed yet, or no check configured: counts as up, so a fresh server answers at once. */
  UNKNOWN,
  UP,
  DOWN
}
