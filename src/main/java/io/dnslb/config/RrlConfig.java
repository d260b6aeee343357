package io.dnslb.config;

import java.time.Duration;

/**
 * Response rate limiting settings ({@code dnslb.rrl} in reference.conf).
 *
 * @param enabled whether UDP responses are limited at all
 * @param responsesPerSecond sustained responses per client prefix and response class
 * @param window how long a client that went over the rate stays limited once it stops
 * @param slip every slip-th limited response goes out truncated; 0 = drop all, 1 = truncate all
 * @param ipv4Prefix IPv4 clients sharing this many leading bits share a bucket
 * @param ipv6Prefix IPv6 clients sharing this many leading bits share a bucket
 * @param maxTracked most buckets kept; the least recently used ones are forgotten beyond it
 */
public record RrlConfig(
    boolean enabled,
    int responsesPerSecond,
    Duration window,
    int slip,
    int ipv4Prefix,
    int ipv6Prefix,
    long maxTracked) {

  public RrlConfig {
    if (responsesPerSecond < 1) {
      throw new IllegalArgumentException("dnslb.rrl.responses-per-second must be >= 1");
    }
    if (window.toMillis() < 1000) {
      throw new IllegalArgumentException("dnslb.rrl.window must be >= 1s");
    }
    if (slip < 0 || slip > 10) {
      throw new IllegalArgumentException("dnslb.rrl.slip must be in 0..10");
    }
    if (ipv4Prefix < 0 || ipv4Prefix > 32) {
      throw new IllegalArgumentException("dnslb.rrl.ipv4-prefix must be in 0..32");
    }
    if (ipv6Prefix < 0 || ipv6Prefix > 128) {
      throw new IllegalArgumentException("dnslb.rrl.ipv6-prefix must be in 0..128");
    }
    if (maxTracked < 1) {
      throw new IllegalArgumentException("dnslb.rrl.max-tracked must be >= 1");
    }
  }
}
