package io.dnslb.pool.policy;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A balancing policy, configured for one pool ({@link PolicyType#read} reads its options): turns
 * the pool's current candidates into a {@link Selector}.
 */
public interface Policy {
  /** The name used as {@code policy = ...} in pool files: its {@link PolicyType}'s. */
  String name();

  /**
   * Precomputes a selector; called off the query path whenever health changes.
   *
   * @param candidates at least one, distinct members
   */
  Selector prepare(Candidate[] candidates);

  /**
   * Whether this policy's selectors read the client: then both query paths hand them the real
   * client (the ECS subnet or the source address); otherwise the fast path skips building it.
   */
  boolean usesClient();

  /**
   * The candidates a selector prepared from these can return (what the next answer can contain,
   * for /status): all of them, unless the policy leaves some out, as failover does lower tiers.
   */
  default Candidate[] reachable(Candidate[] candidates) {
    return candidates;
  }

  /** What a non-zero ECS scope of this policy's answers is, for explain. */
  default String ecsScopeMeaning() {
    return "the part of the client subnet the answer depends on";
  }

  /**
   * The regions this policy sorts clients into, in order (a topology's): /metrics counts answers
   * per region and /status shows which pool each serves from now ({@link
   * Selector#regionChoice}). Empty, the default, for a policy that answers every client alike.
   */
  default List<ClientRegion> regions() {
    return List.of();
  }

  /**
   * Counts the answers to clients of region {@code region} of {@link #regions} in this counter
   * from now on (the metrics', which outlives reloads). Call before the pool is published.
   */
  default void countRegionAnswersIn(int region, LongAdder counter) {
    throw new IndexOutOfBoundsException(name() + " has no regions");
  }
}
