package io.dnslb.health.check;

import io.dnslb.health.ProbeResult;
import java.util.concurrent.CompletableFuture;

/** For members that are not probed: always up, so only the admin state takes them out. */
final class NoneCheck implements Check {
  static final CheckType TYPE = new CheckType("none", false, java.util.Set.of(),
      CheckType.NO_OPTIONS, c -> new NoneCheck());

  @Override
  public CompletableFuture<ProbeResult> probe(ProbeRequest request) {
    return CompletableFuture.completedFuture(ProbeResult.pass("not checked", 0));
  }
}
