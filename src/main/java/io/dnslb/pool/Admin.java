package io.dnslb.pool;

/** What an operator forced on a member with {@code admin = ...}; NONE lets health decide. */
public enum Admin {
  /** No override: the member serves while its health is UP or UNKNOWN. */
  NONE,
  /** Forced up: served whatever the prober says. */
  UP,
  /** Forced down: never served, not even when the pool fails open. */
  DOWN,
  /** Still probed (so its health is known when it returns) but never served. */
  DRAIN
}
