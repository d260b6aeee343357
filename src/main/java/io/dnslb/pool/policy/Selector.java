package io.dnslb.pool.policy;

import io.dnslb.wire.ClientSubnet;
import java.util.random.RandomGenerator;

/**
 * A policy applied to one fixed candidate set. Built when health changes, then used by every
 * query until the next change, so it must be immutable (apart from a racy rotation counter) and
 * must neither lock nor block.
 */
public interface Selector {
  /**
   * Chooses up to {@code out.length} distinct members and writes their member indices to
   * {@code out}, best first.
   *
   * @return how many were written (at least 1: a selector is never built over no candidates)
   */
  int select(ClientSubnet client, RandomGenerator random, int[] out);

  /** The ECS scope prefix an answer for this client is valid for (RFC 7871 §7.2.1). */
  default int ecsScope(ClientSubnet client) {
    return 0;
  }

  /**
   * How this selector would answer this client now, for {@code explain}; off the query path,
   * may allocate. Must not advance any state (a rotation): explaining changes no answer.
   *
   * @param answers the most addresses one answer carries
   */
  PolicyExplanation explain(ClientSubnet client, int answers);
}
