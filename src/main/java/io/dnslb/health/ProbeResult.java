package io.dnslb.health;

/**
 * What one probe found: pass or fail, a short human reason ({@code connect refused}, {@code HTTP 503})
 * and how long it took. Probes know nothing about rise, fall or state; that is the tracker's job.
 */
public record ProbeResult(boolean pass, String reason, long latencyNanos) {
  public static ProbeResult pass(String reason, long latencyNanos) {
    return new ProbeResult(true, reason, latencyNanos);
  }

  public static ProbeResult fail(String reason, long latencyNanos) {
    return new ProbeResult(false, reason, latencyNanos);
  }
}
