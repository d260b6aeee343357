package io.dnslb.app;

import io.dnslb.answer.Catalog;
import io.dnslb.answer.ChaosAnswers;
import io.dnslb.answer.Responder;
import io.dnslb.cluster.DownQuorum;
import io.dnslb.cluster.EtcdCluster;
import io.dnslb.health.check.CheckType;
import io.dnslb.observe.http.ClusterStatus;
import java.time.Duration;
import io.dnslb.cluster.FleetHealth;
import io.dnslb.cluster.LocalOverrideStore;
import io.dnslb.cluster.OverrideStore;
import io.dnslb.config.Addresses;
import io.dnslb.config.ConfigError;
import io.dnslb.config.Settings;
import io.dnslb.health.ProbeTarget;
import io.dnslb.health.Prober;
import io.dnslb.observe.Metrics;
import io.dnslb.observe.http.AdminTokens;
import io.dnslb.observe.http.ObserveHttpServer;
import io.dnslb.pool.MemberOverride;
import io.dnslb.pool.HealthCarryOver;
import io.dnslb.pool.MemberConfig;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolRuntime;
import io.dnslb.query.QueryProcessor;
import io.dnslb.ratelimit.RateLimiter;
import io.dnslb.transport.DnsServer;
import io.dnslb.transport.EventLoops;
import io.dnslb.transport.TcpLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running dnslb: loads the catalog, probes the members once, binds the listeners, reloads on
 * change, stops. The catalog is one volatile reference: a reload builds a whole new one off the
 * query path and swaps it in with one write, so a query sees the old data or the new, never a mix.
 */
public final class Server implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Server.class);
  /** Bound on waiting for a first probe round beyond the prober's own bound. */
  private static final long FIRST_ROUND_MAX_SECONDS = 60;
  private static final long DRAIN_MAX_SECONDS = 1;
  private static final long DRAIN_QUIET_MILLIS = 50;

  private final Settings settings;
  private final Metrics metrics = new Metrics();
  private volatile Catalog catalog;
  /** The published catalog's members by "pool address", for the fleet's decisions. */
  private volatile Map<String, MemberRef> members = Map.of();
  private volatile ReloadStatus lastReload;
  private volatile boolean serving;
  private EventLoops loops;
  private EventLoops auxLoops;
  private Prober prober;
  private DnsServer dns;
  private ObserveHttpServer http;
  private InetSocketAddress httpAddress;
  private DirectoryWatcher watcher;
  private RateLimiter rateLimiter = RateLimiter.NONE;
  private final FleetHealth fleet;
  private OverrideStore overrides;
  private EtcdCluster cluster;
  private AdminService admin;
  private ScheduledFuture<?> expiry;

  public Server(Settings settings) {
    this.settings = settings;
    this.fleet = new FleetHealth(settings.clusterName(), new DownQuorum(settings.downQuorum()));
    fleet.listener(this::applyHealth);
  }

  /**
   * Loads, runs one round of health probes (so that the first answers already reflect reality),
   * then binds. Throws before binding anything if the files are bad.
   */
  public void start() throws ConfigError, InterruptedException, IOException {
    Catalog first = CatalogLoader.load(settings.zones());
    List<ProbeTarget> targets = ProbePlan.targets(first, settings.probesDir(), fleet);
    countPoolAnswers(first);
    overrides = settings.clustered() ? openCluster(targets) : openOverrides();
    applyOverrides(first);
    catalog = first;
    members = index(first);
    syncHealth(first); // what the fleet decided while joining, before the catalog was published
    overrides.onChange(() -> applyOverrides(catalog));
    lastReload = new ReloadStatus(Instant.now(), true, null);
    Responder responder = new Responder(settings.udpPayload(), settings.maxCnameChain(),
        new ChaosAnswers(settings.chaosVersion(), settings.chaosHostname(), settings.chaosId()));
    QueryProcessor processor = new QueryProcessor(responder, () -> catalog,
        new QueryAccounting(metrics, settings.queryLog()));
    loops = new EventLoops(settings.eventLoops(), "dnslb-dns");
    // Probes and the HTTP endpoint get a loop of their own: thousands of checks a second must
    // not queue in front of DNS queries on the loops that answer them.
    auxLoops = new EventLoops(1, "dnslb-aux");
    rateLimiter = RateLimiter.of(settings.rrl());
    metrics.rateLimiter(rateLimiter::dropped, rateLimiter::slipped);
    try {
      prober = new Prober(auxLoops.group(), auxLoops.socketChannel(), settings.probesDir(),
          "dnslb/" + Version.current() + " (" + settings.clusterName() + ")",
          metrics,
          Clock.systemUTC(), ThreadLocalRandom.current());
      prober.setTargets(targets);
      awaitFirstRound();
      admin = new AdminService(() -> catalog, overrides, fleet, prober, metrics, Clock.systemUTC());
      // Expiry restores the file's values within a second: the pools already ignore an expired
      // override when it is applied, this removes it from the store and tells everyone.
      expiry = auxLoops.group().next().scheduleWithFixedDelay(this::expireOverrides, 250, 250,
          TimeUnit.MILLISECONDS);
      dns = new DnsServer(loops, processor, new TcpLimits(settings.tcpIdleTimeout(),
          settings.tcpReadTimeout(), settings.tcpMaxConnections(),
          settings.tcpMaxConnectionsPerClient()), rateLimiter);
      for (InetSocketAddress a : settings.dnsListen()) {
        dns.bind(a);
      }
      if (settings.httpListen() != null) {
        http = new ObserveHttpServer(auxLoops.group(), auxLoops.serverChannel(),
            new StatusView(() -> catalog, prober, () -> lastReload, this::clusterStatus), metrics,
            () -> serving,
            admin, tokens(), settings.adminProtectReads());
        if (!settings.httpListen().getAddress().isLoopbackAddress()
            && !settings.adminProtectReads()) {
          log.warn("HTTP on {} is reachable from other hosts and reads (/status, /metrics, "
              + "/v1/pools) need no token; set dnslb.admin.protect-reads = true to require one",
              io.dnslb.config.HostPort.format(settings.httpListen()));
        }
        httpAddress = http.start(settings.httpListen());
      }
      if (settings.reloadWatch()) {
        watcher = new DirectoryWatcher(settings.zones(), settings.reloadDebounce().toMillis(),
            this::reload);
      }
    } catch (RuntimeException | InterruptedException | IOException e) {
      close();
      throw e;
    }
    serving = true;
    log.info("dnslb serving DNS on {} (udp+tcp, {} event loops, {}), HTTP on {}: {}",
        dns.describe(), loops.size(), loops.epoll() ? "epoll" : "nio",
        httpAddress == null ? "off" : io.dnslb.config.HostPort.format(httpAddress),
        describe(catalog) + "; " + describeCluster());
  }

  /**
   * Joins the fleet before the first probe and the first answer (warm start): the peers' verdicts
   * and the overrides in etcd apply from the first query on. If etcd cannot be reached within a
   * lease TTL, this server starts on its own probes and joins when etcd answers.
   */
  private OverrideStore openCluster(List<ProbeTarget> targets) throws InterruptedException {
    long shortest = targets.stream().filter(t -> t.spec().type() != CheckType.NONE)
        .mapToLong(t -> t.spec().interval().toMillis()).min().orElse(1000);
    Duration ttl = Duration.ofSeconds(Math.max(3, (3 * shortest + 999) / 1000));
    cluster = new EtcdCluster(settings.clusterEtcd(), settings.clusterPrefix(),
        settings.clusterName(), Version.current(), ttl, fleet);
    metrics.cluster(() -> cluster.connected() ? 1 : 0, () -> fleet.liveServers().size());
    if (!cluster.start(ttl)) {
      log.warn("cluster: etcd at {} not reachable within {} s; starting on this server's own "
          + "probes, joining when it answers", settings.clusterEtcd(), ttl.toSeconds());
    }
    return cluster;
  }

  private String describeCluster() {
    if (cluster == null) {
      return "no cluster";
    }
    return "cluster member " + settings.clusterName() + " via etcd, "
        + (cluster.connected() ? "connected, " + fleet.liveServers().size() + " live server(s)"
            : "NOT connected (degraded: last fleet view, then own probes)")
        + ", lease TTL " + cluster.ttl().toSeconds() + " s";
  }

  private OverrideStore openOverrides() throws IOException {
    try {
      LocalOverrideStore store = new LocalOverrideStore(settings.stateFile());
      int n = store.current().values().stream().mapToInt(Map::size).sum();
      if (n > 0) {
        log.info("{} runtime override(s) from {}", n, store.path());
      }
      return store;
    } catch (IOException e) {
      throw new IOException("state file " + settings.stateFile() + ": " + e.getMessage(), e);
    }
  }

  private AdminTokens tokens() throws IOException {
    return settings.adminTokenFile() == null ? null : AdminTokens.load(settings.adminTokenFile());
  }

  private void expireOverrides() {
    try {
      admin.expire();
    } catch (RuntimeException e) {
      log.warn("expiring overrides failed", e);
    }
  }

  private ClusterStatus clusterStatus() {
    return cluster == null ? null : new ClusterStatus(settings.clusterName(), cluster.connected(),
        List.copyOf(fleet.liveServers()));
  }

  /** The overrides still in force at {@code now}. */
  static Map<String, MemberOverride> unexpired(Map<String, MemberOverride> byAddress, Instant now) {
    Map<String, MemberOverride> out = new HashMap<>();
    byAddress.forEach((address, o) -> {
      if (!o.expiredAt(now)) {
        out.put(address, o);
      }
    });
    return out;
  }

  /**
   * The one place operator overrides reach the pools: each pool gets its own, expired ones left
   * out. Called when the store changes and for a reloaded catalog before it is published.
   */
  private void applyOverrides(Catalog c) {
    Map<String, Map<String, MemberOverride>> all = overrides.current();
    Instant now = Instant.now();
    for (Pool p : c.pools().all()) {
      ((PoolRuntime) p).setOverrides(unexpired(all.getOrDefault(p.id(), Map.of()), now));
    }
  }

  /** The one place the fleet's health decisions reach the pools (also this server's own alone). */
  private void applyHealth(String poolId, String address, boolean up) {
    MemberRef m = members.get(poolId + " " + address);
    if (m != null) { // null before the first publish: start() syncs what the fleet decided so far
      m.pool().setHealth(m.index(), up);
    }
  }

  /** A member of the published catalog, found by "pool address" without a scan. */
  private record MemberRef(PoolRuntime pool, int index) {}

  private static Map<String, MemberRef> index(Catalog c) {
    Map<String, MemberRef> out = new HashMap<>();
    for (Pool p : c.pools().all()) {
      PoolRuntime runtime = (PoolRuntime) p;
      for (MemberConfig m : runtime.config().members()) {
        out.put(p.id() + " " + Addresses.format(m.address()), new MemberRef(runtime, m.index()));
      }
    }
    return out;
  }

  private void awaitFirstRound() throws InterruptedException {
    try {
      prober.firstRound().get(FIRST_ROUND_MAX_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      log.warn("first health-check round did not complete: {}", e.toString());
    }
  }

  private static String describe(Catalog c) {
    int members = 0;
    for (Pool p : c.pools().all()) {
      members += ((PoolRuntime) p).config().members().size();
    }
    return c.zones().zones().size() + " zones, " + c.zones().recordCount() + " records, "
        + c.pools().all().size() + " pools, " + members + " members";
  }

  /**
   * Reads the zones directory again and swaps the result in, or keeps serving the old data and
   * reports why. Members that survive keep their health and probe history; new members are
   * probed before the new data is published. Serialised: one reload at a time.
   */
  public synchronized ReloadStatus reload() {
    long t0 = System.nanoTime();
    Catalog next;
    List<ProbeTarget> targets;
    try {
      next = CatalogLoader.load(settings.zones());
      targets = ProbePlan.targets(next, settings.probesDir(), fleet);
    } catch (ConfigError e) {
      lastReload = new ReloadStatus(Instant.now(), false, e.getMessage());
      metrics.configReload(false);
      log.error("reload failed, still serving the previous data: {}", e.getMessage());
      return lastReload;
    }
    HealthCarryOver.carry(catalog.pools(), next.pools());
    countPoolAnswers(next);
    prober.setTargets(targets); // surviving keys keep their tracker; verdicts now go to `next`
    try {
      awaitFirstRound();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    syncHealth(next);
    applyOverrides(next);
    Map<String, MemberRef> nextMembers = index(next);
    catalog = next;
    members = nextMembers;
    // a fleet decision or an override that arrived between the two lines above went to the old
    // catalog only; both calls are cheap and change nothing when nothing changed
    syncHealth(next);
    applyOverrides(next);
    lastReload = new ReloadStatus(Instant.now(), true, null);
    metrics.configReload(true);
    log.info("reloaded in {} ms: {}", (System.nanoTime() - t0) / 1_000_000, describe(next));
    return lastReload;
  }

  private void countPoolAnswers(Catalog c) {
    for (Pool p : c.pools().all()) {
      ((PoolRuntime) p).countAnswersIn(metrics.poolAnswers(p.id()));
    }
  }

  /**
   * Copies the fleet's current decisions into the new pools: a change reported to the old pools
   * between the carry-over and the target switch would otherwise be lost until the next change.
   */
  private void syncHealth(Catalog next) {
    for (Pool p : next.pools().all()) {
      PoolRuntime runtime = (PoolRuntime) p;
      for (MemberConfig m : runtime.config().members()) {
        Boolean up = fleet.state(m.poolId(), Addresses.format(m.address()));
        if (up != null) {
          runtime.setHealth(m.index(), up);
        }
      }
    }
  }

  /** Asks for a reload on the reload thread, after the debounce delay (SIGHUP). */
  public void requestReload() {
    if (watcher != null) {
      watcher.schedule();
    } else {
      Thread t = new Thread(this::reload, "dnslb-reload");
      t.setDaemon(true);
      t.start();
    }
  }

  public ReloadStatus lastReload() {
    return lastReload;
  }

  /** Addresses the DNS listeners are bound to (port 0 resolved). */
  public List<InetSocketAddress> dnsAddresses() {
    return dns == null ? List.of() : new ArrayList<>(dns.addresses());
  }

  /** The HTTP endpoint's bound address, or null when it is off. */
  public InetSocketAddress httpAddress() {
    return httpAddress;
  }

  /** The UDP response rate limiter, for its dropped and slipped counts. */
  public RateLimiter rateLimiter() {
    return rateLimiter;
  }

  public Catalog catalog() {
    return catalog;
  }

  public Metrics metrics() {
    return metrics;
  }

  /**
   * Stops accepting, stops probing, lets the event loops finish what is in flight (they drain
   * their queues before shutting down), then stops.
   */
  /**
   * Closing a UDP channel drops the datagrams still queued in its socket: queries a client sent
   * just before the stop would time out. Keep answering until a quiet 50 ms (at most 1 s).
   */
  private void drain() {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_MAX_SECONDS);
    long before = metrics.queriesAnswered();
    try {
      while (System.nanoTime() < end) {
        Thread.sleep(DRAIN_QUIET_MILLIS);
        long now = metrics.queriesAnswered();
        if (now == before) {
          return;
        }
        before = now;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    boolean wasServing = serving;
    serving = false;
    if (watcher != null) {
      watcher.close();
    }
    if (dns != null) {
      if (wasServing) {
        drain();
      }
      dns.close();
    }
    if (http != null) {
      http.close();
    }
    if (expiry != null) {
      expiry.cancel(false);
    }
    if (prober != null) {
      prober.close();
    }
    if (overrides != null) {
      overrides.close();
    }
    if (loops != null) {
      loops.close();
    }
    if (auxLoops != null) {
      auxLoops.close();
    }
  }
}
