package io.dnslb.health;

/**
 * What one probe found: pass or fail, a short human reason ({@code connect refused}, {@code HTTP 503})
 * and how long it took. Probes know nothing about rise, fall or state; that is the tracker's job.
 *
 * @param unambiguous a failure that cannot be a slow or overloaded backend (connection refused,
 *     host or network unreachable): with {@code fast-fail} the tracker marks the member down at once
 * @param load the load figure the backend reported (0-100), or NaN when it reported none
 */
public record ProbeResult(boolean pass, String reason, long latencyNanos, boolean unambiguous,
    double load) {
  public static ProbeResult pass(String reason, long latencyNanos) {
    return new ProbeResult(true, reason, latencyNanos, false, Double.NaN);
  }

  public static ProbeResult fail(String reason, long latencyNanos) {
    return new ProbeResult(false, reason, latencyNanos, false, Double.NaN);
  }

  /** A failure {@code fast-fail} acts on at once: nothing listens, or nothing is there. */
  public static ProbeResult refused(String reason, long latencyNanos) {
    return new ProbeResult(false, reason, latencyNanos, true, Double.NaN);
  }

  public ProbeResult withLoad(double reported) {
    return new ProbeResult(pass, reason, latencyNanos, unambiguous, reported);
  }
}
