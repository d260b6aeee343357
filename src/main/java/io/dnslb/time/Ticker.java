package io.dnslb.time;

import java.time.Instant;

/**
 * The one source of time for the parts that act on it: the prober and its checks, the rate
 * limiter, admin-override expiry, slow start and {@code ttl = auto} (after Caffeine's Ticker).
 * {@link #nanos} is monotonic, for durations and deadlines; {@link #wallMillis} is the wall clock,
 * only where a time is shown or compared with a stored timestamp (status "since", expiry stamps,
 * ramp start). Production uses {@link #SYSTEM}; tests inject a manual ticker and advance it
 * instead of sleeping. Timeouts that pace a real wait (Netty's connect timeout, a process's
 * deadline) stay on real time: a manual ticker cannot make the kernel wait less.
 */
public interface Ticker {
  /** Monotonic nanoseconds from an arbitrary origin: only differences mean anything. */
  long nanos();

  /** Wall-clock milliseconds since the epoch. */
  long wallMillis();

  /** The wall clock as an instant. */
  default Instant instant() {
    return Instant.ofEpochMilli(wallMillis());
  }

  /** The JVM's clocks: {@link System#nanoTime} and {@link System#currentTimeMillis}. */
  Ticker SYSTEM = new Ticker() {
    @Override
    public long nanos() {
      return System.nanoTime();
    }

    @Override
    public long wallMillis() {
      return System.currentTimeMillis();
    }

    @Override
    public Instant instant() {
      return Instant.now();
    }
  };
}
