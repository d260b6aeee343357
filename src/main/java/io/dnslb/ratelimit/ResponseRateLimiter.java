package io.dnslb.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dnslb.config.RrlConfig;
import io.dnslb.time.Ticker;
import java.net.InetAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * Response rate limiting (RRL) as in BIND, Knot and NSD: a token bucket per client prefix and
 * {@link ResponseClass}; over the rate, responses are dropped, except every slip-th, which goes
 * out truncated so that a real client behind a spoofed flood still gets through over TCP.
 *
 * <p>Buckets live in a bounded Caffeine cache, so a flood from many prefixes costs at most
 * max-tracked buckets; an evicted bucket starts full again, which errs towards answering.
 * Counters are LongAdders: no contended global counter on the query path.
 */
final class ResponseRateLimiter implements RateLimiter {
  private static final long SECOND = 1_000_000_000L;

  private final RrlConfig config;
  private final Ticker ticker;
  private final long interval;
  private final long debt;
  private final Cache<Key, TokenBucket> buckets;
  private final LongAdder dropped = new LongAdder();
  private final LongAdder slipped = new LongAdder();

  /** A client prefix (the address masked, in two longs, and its length) and a response class. */
  private record Key(int length, long hi, long lo, ResponseClass kind) {}

  ResponseRateLimiter(RrlConfig config, Ticker ticker) {
    this.config = config;
    this.ticker = ticker;
    this.interval = SECOND / config.responsesPerSecond();
    this.debt = config.window().toNanos();
    // Maintenance on the answering loop, not ForkJoinPool.commonPool: a flood from many
    // prefixes fills the table past half, and Caffeine then hands the pool a task every ~17
    // reads, each a thread wake-up on the loop's core (as in query/ResponseCache).
    this.buckets = Caffeine.newBuilder().maximumSize(config.maxTracked())
        .executor(Runnable::run).build();
  }

  @Override
  public byte[] filter(InetAddress client, byte[] response) {
    long now = ticker.nanos();
    TokenBucket bucket = buckets.get(key(client, ResponseClass.of(response)),
        k -> new TokenBucket(now));
    if (bucket.take(now, interval, debt)) {
      return response;
    }
    int slip = config.slip();
    if (slip > 0 && bucket.limitedCount() % slip == 0) {
      slipped.increment();
      return Truncated.of(response);
    }
    dropped.increment();
    return null;
  }

  private Key key(InetAddress client, ResponseClass kind) {
    byte[] a = client.getAddress();
    if (a.length == 4) {
      long v4 = ((a[0] & 0xffL) << 24) | ((a[1] & 0xffL) << 16) | ((a[2] & 0xffL) << 8)
          | (a[3] & 0xffL);
      return new Key(4, 0, v4 & mask(config.ipv4Prefix(), 32), kind);
    }
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (a[i] & 0xffL);
      lo = (lo << 8) | (a[i + 8] & 0xffL);
    }
    int bits = config.ipv6Prefix();
    long hiMask = mask(Math.min(bits, 64), 64);
    long loMask = mask(Math.max(bits - 64, 0), 64);
    return new Key(16, hi & hiMask, lo & loMask, kind);
  }

  /** The top {@code bits} of a {@code width}-bit number set. */
  private static long mask(int bits, int width) {
    if (bits == 0) {
      return 0;
    }
    long ones = width == 64 ? -1L : (1L << width) - 1;
    return ones & (-1L << (width - bits));
  }

  @Override
  public long dropped() {
    return dropped.sum();
  }

  @Override
  public long slipped() {
    return slipped.sum();
  }
}
