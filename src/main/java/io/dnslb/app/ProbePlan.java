package io.dnslb.app;

import io.dnslb.answer.Catalog;
import io.dnslb.config.Addresses;
import io.dnslb.config.ConfigError;
import io.dnslb.health.CheckSpec;
import io.dnslb.health.ProbeTarget;
import io.dnslb.pool.MemberConfig;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a catalog's pool members into prober targets: parses each member's merged check block
 * (so a bad check is a load error with FILE:LINE, like any other). Targets are keyed like the
 * health table's slots, so a verdict reaches the member whichever catalog is serving.
 */
public final class ProbePlan {
  private ProbePlan() {}

  public static List<ProbeTarget> targets(Catalog catalog, Path probesDir) throws ConfigError {
    List<ProbeTarget> targets = new ArrayList<>();
    for (Pool p : catalog.pools().all()) {
      PoolRuntime runtime = (PoolRuntime) p;
      String host = runtime.config().names().get(0).toString(true);
      for (MemberConfig m : runtime.config().members()) {
        // No check block anywhere: nothing to probe, the member counts as up (as gdnsd does for
        // a service without monitors).
        CheckSpec spec = m.check().isEmpty() ? CheckSpec.none() : CheckSpec.parse(m.check(), probesDir);
        targets.add(new ProbeTarget(m.key(), m.poolId(), Addresses.format(m.address()), spec,
            host));
      }
    }
    return targets;
  }
}
