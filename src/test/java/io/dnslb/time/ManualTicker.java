package io.dnslb.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker that moves only when a test says so; both clocks move together. Thread-safe. */
public final class ManualTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong();
  private final long wallOriginMillis;

  /** Starts at {@code wall} on the wall clock and 0 on the monotonic one. */
  public ManualTicker(Instant wall) {
    this.wallOriginMillis = wall.toEpochMilli();
  }

  public ManualTicker() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public ManualTicker advance(Duration d) {
    nanos.addAndGet(d.toNanos());
    return this;
  }

  public ManualTicker advanceMillis(long ms) {
    return advance(Duration.ofMillis(ms));
  }

  @Override
  public long nanos() {
    return nanos.get();
  }

  @Override
  public long wallMillis() {
    return wallOriginMillis + nanos.get() / 1_000_000;
  }
}
