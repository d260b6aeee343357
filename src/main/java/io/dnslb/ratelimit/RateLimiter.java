package io.dnslb.ratelimit;

import io.dnslb.config.RrlConfig;
import io.dnslb.time.Ticker;
import java.net.InetAddress;

/**
 * Decides, per UDP response, whether it goes out whole, truncated or not at all. Applied to UDP
 * only: a TCP client has completed a handshake, so its source address cannot be spoofed, and a
 * truncated answer is exactly what sends a real client there.
 */
public interface RateLimiter {
  /**
   * @param client the query's source address
   * @param response the encoded response
   * @return the response, a truncated copy (TC set, no records), or null to send nothing
   */
  byte[] filter(InetAddress client, byte[] response);

  /** Responses not sent at all, since start. */
  long dropped();

  /** Responses sent truncated instead of dropped ("slipped"), since start. */
  long slipped();

  /** The limiter these settings describe: {@link #NONE} when disabled. */
  static RateLimiter of(RrlConfig config) {
    return config.enabled() ? new ResponseRateLimiter(config, Ticker.SYSTEM) : NONE;
  }

  /** No limit: every response goes out as it is. */
  RateLimiter NONE = new RateLimiter() {
    @Override
    public byte[] filter(InetAddress client, byte[] response) {
      return response;
    }

    @Override
    public long dropped() {
      return 0;
    }

    @Override
    public long slipped() {
      return 0;
    }
  };
}
