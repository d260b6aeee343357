package io.dnslb.pool.policy;

/** A balancing policy: turns a pool's current candidates into a {@link Selector}. */
public interface Policy {
  /** The name used as {@code policy = ...} in pool files. */
  String name();

  /**
   * Precomputes a selector; called off the query path whenever health changes.
   *
   * @param candidates at least one, distinct members
   */
  Selector prepare(Candidate[] candidates, StickyPrefixes sticky);

  /**
   * True when selection depends on who asks (the ECS subnet or the source address), so both
   * query paths must hand the selector the real client rather than a placeholder.
   */
  default boolean usesClient() {
    return false;
  }
}
