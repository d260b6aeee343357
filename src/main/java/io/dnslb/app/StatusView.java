package io.dnslb.app;

import io.dnslb.answer.Catalog;
import io.dnslb.config.Addresses;
import io.dnslb.health.Prober;
import io.dnslb.health.TargetStatus;
import io.dnslb.observe.http.ClusterStatus;
import io.dnslb.observe.http.ConfigStatus;
import io.dnslb.observe.http.MemberStatus;
import io.dnslb.observe.http.PoolStatus;
import io.dnslb.observe.http.RegionStatus;
import io.dnslb.observe.http.StatusSource;
import io.dnslb.time.Ticker;
import io.dnslb.pool.Admin;
import io.dnslb.pool.MemberConfig;
import io.dnslb.pool.MemberOverride;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolRuntime;
import io.dnslb.pool.policy.Selector;
import io.dnslb.pool.policy.ClientRegion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.xbill.DNS.Name;

/** {@code /status}: the current pools joined with what the prober knows of each member. */
final class StatusView implements StatusSource {
  private final Supplier<Catalog> catalog;
  private final Prober prober;
  private final Supplier<ReloadStatus> reload;
  private final Supplier<ClusterStatus> cluster;
  private final PoolRefresher refresher;

  private final Ticker ticker;

  StatusView(Supplier<Catalog> catalog, Prober prober, Supplier<ReloadStatus> reload,
      Supplier<ClusterStatus> cluster, PoolRefresher refresher, Ticker ticker) {
    this.ticker = ticker;
    this.catalog = catalog;
    this.prober = prober;
    this.reload = reload;
    this.refresher = refresher;
    this.cluster = cluster;
  }

  @Override
  public ClusterStatus cluster() {
    return cluster.get();
  }

  @Override
  public ConfigStatus config() {
    ReloadStatus r = reload.get();
    return r == null ? null : new ConfigStatus(r.at(), r.ok(), r.error());
  }

  /** An override in a few words for /status and the table: what, weight, who, until when. */
  static String describe(MemberOverride o) {
    if (o == null) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    if (o.admin() != null) {
      b.append(o.admin().name().toLowerCase(Locale.ROOT));
    }
    if (o.weight() != MemberOverride.KEEP_WEIGHT) {
      b.append(b.length() == 0 ? "" : " ").append("weight ").append(o.weight());
    }
    b.append(" by ").append(o.by());
    if (o.expires() != null) {
      b.append(" until ").append(o.expires());
    }
    if (!o.reason().isEmpty()) {
      b.append(": ").append(o.reason());
    }
    return b.toString();
  }

  @Override
  public List<PoolStatus> pools() {
    List<PoolStatus> out = new ArrayList<>();
    for (Pool p : catalog.get().pools().all()) {
      PoolRuntime runtime = (PoolRuntime) p;
      List<MemberStatus> members = new ArrayList<>();
      double[] shares = runtime.shares();
      double[] ramps = runtime.ramps(ticker.wallMillis());
      double[] answered = refresher.lastMinuteShares(runtime);
      for (MemberConfig m : runtime.config().members()) {
        int i = m.index();
        MemberOverride override = runtime.override(i);
        Optional<TargetStatus> s = prober.status(m.key());
        boolean checked = !m.check().isEmpty(); // unchecked members have no latency to show
        members.add(new MemberStatus(m.label(), m.weight(), m.priority(),
            m.admin().name().toLowerCase(Locale.ROOT),
            runtime.health(m.index()).label(),
            s.map(TargetStatus::lastChange).orElse(null),
            s.map(TargetStatus::lastReason).orElse(null),
            checked ? s.map(TargetStatus::lastLatencyNanos).orElse(-1L) : -1L,
            runtime.inRotation(m.index()),
            m.admin() == Admin.NONE ? null : m.file() + ":" + m.line(),
            null,
            describe(override),
            MemberOverride.weight(m, override) * shares[i], ramps[i], prober.loadFactor(m.key()),
            answered[i]));
      }
      List<String> names = runtime.config().names().stream().map(Name::toString).toList();
      out.add(new PoolStatus(runtime.id(), names, runtime.config().policy().name(), members,
          runtime.failingOpen(), regions(runtime)));
    }
    return out;
  }

  /** The regions of a pool whose policy has them (topology), with the pool each serves from now. */
  private static List<RegionStatus> regions(PoolRuntime runtime) {
    List<ClientRegion> regions = runtime.config().policy().regions();
    if (regions.isEmpty()) {
      return List.of();
    }
    Selector selector = runtime.selector(false) != null ? runtime.selector(false)
        : runtime.selector(true);
    List<RegionStatus> out = new ArrayList<>();
    for (int r = 0; r < regions.size(); r++) {
      int member = selector == null ? -1 : selector.regionChoice(r);
      String serving = member >= 0 ? runtime.config().members().get(member).pool() : "servfail";
      out.add(new RegionStatus(regions.get(r).name(), regions.get(r).pools(), serving));
    }
    return out;
  }
}
