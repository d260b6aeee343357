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
   * Chooses up to {@code limit} distinct members and writes their member indices to
   * {@code out}, best first.
   *
   * @param limit at most {@code out.length}
   * @return how many were written: at least 1, except 0 from a selector that has nothing to
   *     serve this client with (a topology region whose pools are all down, in a pool that
   *     answers SERVFAIL then)
   */
  int select(ClientSubnet client, RandomGenerator random, int[] out, int limit);

  /** {@link #select(ClientSubnet, RandomGenerator, int[], int)} up to {@code out.length}. */
  default int select(ClientSubnet client, RandomGenerator random, int[] out) {
    return select(client, random, out, out.length);
  }

  /** The ECS scope prefix an answer for this client is valid for (RFC 7871 §7.2.1). */
  default int ecsScope(ClientSubnet client) {
    return 0;
  }

  /**
   * {@link #select(ClientSubnet, RandomGenerator, int[], int)} and {@link #ecsScope} at once,
   * for answers that echo ECS: a selector that finds the client's place once for both (a
   * topology region) overrides it. Packed without allocating: read it with {@link #count} and
   * {@link #scope}.
   */
  default long selectScoped(ClientSubnet client, RandomGenerator random, int[] out, int limit) {
    return scoped(select(client, random, out, limit), ecsScope(client));
  }

  static long scoped(int count, int scope) {
    return ((long) scope << 32) | (count & 0xFFFF_FFFFL);
  }

  /** The count of a {@link #selectScoped} result. */
  static int count(long scoped) {
    return (int) scoped;
  }

  /** The ECS scope of a {@link #selectScoped} result. */
  static int scope(long scoped) {
    return (int) (scoped >>> 32);
  }

  /**
   * How this selector would answer this client now, for {@code explain}; off the query path,
   * may allocate. Must not advance any state (a rotation): explaining changes no answer.
   *
   * @param answers the most addresses one answer carries
   */
  PolicyExplanation explain(ClientSubnet client, int answers);

  /**
   * The member this selector answers clients of region {@code region} of its policy's {@link
   * Policy#regions} from, or -1 when none serves them (they get SERVFAIL); for /status. The
   * default suits a policy without regions.
   */
  default int regionChoice(int region) {
    return -1;
  }
}
