package io.dnslb.ratelimit;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One client prefix's allowance, as BIND's RRL accounts it: credit refills at the rate up to one
 * second's worth (the burst), each response spends one, and a client over the limit runs into
 * debt down to one window's worth, so a flood stays limited until it has paused for up to a
 * window. Kept as the generic cell rate algorithm: one long, the "theoretical arrival time" at
 * which the bucket is full again, updated with a CAS, so buckets need no lock.
 */
final class TokenBucket {
  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong fullAt;
  /** Limited responses so far, for the slip count; contended only within one prefix. */
  private final AtomicLong limited = new AtomicLong();

  TokenBucket(long now) {
    this.fullAt = new AtomicLong(now);
  }

  /**
   * Spends one response.
   *
   * @param interval nanoseconds of credit one response costs (a second over the rate)
   * @param debt the most nanoseconds of debt past the burst (the window)
   * @return whether the response is within the rate
   */
  boolean take(long now, long interval, long debt) {
    while (true) {
      long current = fullAt.get();
      long next = Math.max(current, now) + interval;
      boolean allowed = next - now <= SECOND;
      long stored = Math.min(next, now + SECOND + debt);
      if (fullAt.compareAndSet(current, stored)) {
        return allowed;
      }
    }
  }

  /** Counts one limited response; returns its 1-based number. */
  long limitedCount() {
    return limited.incrementAndGet();
  }
}
