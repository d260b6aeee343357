package io.dnslb.health.check;

import io.dnslb.health.ProbeResult;
import java.util.concurrent.CompletableFuture;

/**
 * One kind of probe. Must not block the caller, must complete within the request's timeout (plus
 * scheduling slack) and must release every socket or process it opened, whatever the outcome.
 * The future never completes exceptionally: failures are {@link ProbeResult#fail} with a reason.
 */
public interface Check {
  CompletableFuture<ProbeResult> probe(ProbeRequest request);

  /** Probes killed at their deadline or for leaving processes behind (processes only). */
  default long killed() {
    return 0;
  }
}
