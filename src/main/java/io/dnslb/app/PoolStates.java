package io.dnslb.app;

import io.dnslb.answer.Catalog;
import io.dnslb.config.Addresses;
import io.dnslb.observe.PoolState;
import io.dnslb.pool.MemberConfig;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The current catalog's pools as the metrics' pool gauges see them (read at scrape time). */
final class PoolStates {
  private PoolStates() {}

  static List<PoolState> of(Catalog catalog) {
    List<PoolState> out = new ArrayList<>();
    for (Pool p : catalog.pools().all()) {
      PoolRuntime runtime = (PoolRuntime) p;
      List<PoolState.Member> members = new ArrayList<>();
      for (MemberConfig m : runtime.config().members()) {
        members.add(new PoolState.Member(Addresses.format(m.address()),
            m.admin().name().toLowerCase(Locale.ROOT), runtime.inRotation(m.index())));
      }
      out.add(new PoolState(p.id(), runtime.failingOpen(), members));
    }
    return out;
  }
}
