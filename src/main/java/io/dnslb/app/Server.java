package io.dnslb.app;

import io.dnslb.answer.Catalog;
import io.dnslb.answer.ChaosAnswers;
import io.dnslb.answer.Responder;
import io.dnslb.cluster.DownQuorum;
import io.dnslb.cluster.EtcdCluster;
import io.dnslb.cluster.FleetHealth;
import io.dnslb.cluster.LocalOverrideStore;
import io.dnslb.cluster.OverrideStore;
import io.dnslb.config.Addresses;
import io.dnslb.config.ConfigError;
import io.dnslb.config.Settings;
import io.dnslb.health.HealthState;
import io.dnslb.health.HealthTable;
import io.dnslb.health.ProbeLoop;
import io.dnslb.health.ProbePriority;
import io.dnslb.health.ProbeTarget;
import io.dnslb.health.Prober;
import io.dnslb.health.TargetStatus;
import io.dnslb.observe.BuildInfo;
import io.dnslb.observe.Metrics;
import io.dnslb.observe.http.AdminTokens;
import io.dnslb.observe.http.ClusterStatus;
import io.dnslb.observe.http.ObserveHttpServer;
import io.dnslb.pool.MemberConfig;
import io.dnslb.pool.MemberOverride;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolRuntime;
import io.dnslb.pool.policy.ClientRegion;
import io.dnslb.pool.policy.Policy;
import io.dnslb.query.PreparedCatalog;
import io.dnslb.query.QueryObserver;
import io.dnslb.query.QueryProcessor;
import io.dnslb.ratelimit.RateLimiter;
import io.dnslb.time.Ticker;
import io.dnslb.transport.DnsServer;
import io.dnslb.transport.EventLoops;
import io.dnslb.transport.NativeUdp;
import io.dnslb.transport.TcpLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
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
  private static final long RESIGN_CHECK_MINUTES = 60;

  private final Settings settings;
  private final Metrics metrics = new Metrics();
  /** The catalog served and the query path's index and cache for it, published as one. */
  private volatile PreparedCatalog current = PreparedCatalog.EMPTY;
  private volatile ReloadStatus lastReload;
  private volatile boolean serving;
  private EventLoops loops;
  private EventLoops auxLoops;
  private ProbeLoop probeLoop;
  private Prober prober;
  /**
   * The time source of the prober and its checks, admin-override expiry, the pools' slow start,
   * ttl = auto's refresher and /status (a test's manual ticker drives them).
   */
  private final Ticker ticker;
  private HealthTable health;
  private DnsServer dns;
  private ObserveHttpServer http;
  private InetSocketAddress httpAddress;
  private DirectoryWatcher watcher;
  private java.util.concurrent.ScheduledExecutorService resigner;
  private RateLimiter rateLimiter = RateLimiter.NONE;
  private final FleetHealth fleet;
  /** Members by "pool address" and by key: where the fleet's decisions and own verdicts go. */
  private volatile Members members = Members.EMPTY;
  private OverrideStore overrides;
  private EtcdCluster cluster;
  private AdminService admin;
  private PoolRefresher refresher;
  private ScheduledFuture<?> refreshing;
  /** Guards {@link #serving} against {@link #reloadBeforeServing}. */
  private final Object servingLock = new Object();
  /** A reload was asked for (SIGHUP) while starting: run it once serving. */
  private boolean reloadBeforeServing;

  public Server(Settings settings) {
    this(settings, Ticker.SYSTEM);
  }

  public Server(Settings settings, Ticker ticker) {
    this.settings = settings;
    this.ticker = ticker;
    this.fleet = new FleetHealth(settings.clusterName(), new DownQuorum(settings.downQuorum()),
        ticker);
    fleet.listener(this::applyHealth);
  }

  /**
   * Loads, runs one round of health probes (so that the first answers already reflect reality),
   * then binds. Throws before binding anything if the files are bad.
   */
  public void start() throws ConfigError, InterruptedException, IOException {
    warnUnreadFiles();
    Catalog first = CatalogLoader.load(settings.zones(), 0, ticker);
    List<ProbeTarget> targets = ProbePlan.targets(first, settings.probesDir());
    countPoolAnswers(first);
    metrics.configLoaded();
    metrics.poolStates(() -> PoolStates.of(catalog()));
    Responder responder = new Responder(settings.udpPayload(), settings.maxCnameChain(),
        new ChaosAnswers(settings.chaosVersion(), settings.chaosHostname(), settings.chaosId()));
    QueryProcessor processor = new QueryProcessor(responder, () -> current,
        new QueryAccounting(metrics, settings.queryLog(), ticker));
    loops = new EventLoops(settings.eventLoops(), "dnslb-dns");
    String nativeProblem = EventLoops.nativeProblem();
    if (nativeProblem != null) {
      log.warn("native epoll transport unavailable, using NIO (no recvmmsg, no SO_REUSEPORT: "
          + "one UDP socket for all event loops): {}", nativeProblem);
    }
    // Probes and the HTTP endpoint get a loop of their own: thousands of checks a second must
    // not queue in front of DNS queries on the loops that answer them.
    auxLoops = new EventLoops(1, "dnslb-aux");
    metrics.signatureCache(() -> current.catalog().signing().cacheStats());
    rateLimiter = RateLimiter.of(settings.rrl());
    metrics.rateLimiter(rateLimiter::dropped, rateLimiter::slipped);
    try {
      health = new HealthTable(auxLoops.group().next());
      health.onOwn(this::ownVerdict);
      bindHealth(first, false);
      members = Members.of(first, Members.EMPTY);
      // Joins the fleet (or reads the state file) before the first probe and the first answer.
      overrides = settings.clustered() ? openCluster(targets) : openOverrides();
      applyOverrides(first);
      overrides.onChange(() -> {
        Catalog c = catalog();
        if (c != null) {
          applyOverrides(c);
        }
      });
      // The probes' own loop, below the DNS loops' priority (dnslb.health.probe-priority).
      ProbePriority priority = ProbePriority.parse(settings.probePriority());
      probeLoop = new ProbeLoop(auxLoops.epoll(), priority);
      prober = new Prober(probeLoop.group(), probeLoop.socketChannel(), settings.probesDir(),
          "dnslb/" + BuildInfo.VERSION + " (" + settings.clusterName() + ")",
          metrics, ticker, priority, health);
      prober.setTargets(targets);
      awaitFirstRound();
      health.rebind(runtimes(first));
      current = PreparedCatalog.of(first);
      applyOverrides(first); // one that arrived while the first round ran
      warmUp(responder);
      lastReload = new ReloadStatus(ticker.instant(), true, null);
      admin = new AdminService(this::catalog, overrides, fleet, prober, metrics, ticker);
      refresher = new PoolRefresher(this::catalog, prober, ticker::wallMillis);
      refresher.run();
      // One timer for both periodic jobs, so the aux thread wakes twice a second, not six
      // times (it may share the DNS core). Expiry restores the file's values within a second:
      // the pools already ignore an expired override when it is applied, this removes it from
      // the store and tells everyone.
      refreshing = auxLoops.group().next().scheduleAtFixedRate(() -> {
        expireOverrides();
        refresher.run();
      }, PoolRefresher.PERIOD_MILLIS, PoolRefresher.PERIOD_MILLIS, TimeUnit.MILLISECONDS);
      dns = new DnsServer(loops, processor, new TcpLimits(settings.tcpIdleTimeout(),
          settings.tcpReadTimeout(), settings.tcpMaxConnections(),
          settings.tcpMaxConnectionsPerClient()), rateLimiter, nativeUdp(processor));
      for (InetSocketAddress a : settings.dnsListen()) {
        dns.bind(a);
      }
      if (settings.httpListen() != null) {
        http = new ObserveHttpServer(auxLoops.group(), auxLoops.serverChannel(),
            new StatusView(this::catalog, prober, () -> lastReload, this::clusterStatus, refresher, ticker),
            new Explainer(this::catalog, responder.lookup(), prober), metrics, () -> serving, admin, tokens(),
            settings.adminProtectReads());
        httpAddress = http.start(settings.httpListen());
      }
      // Signatures are re-made well before they expire (refresh, days); an hourly look is ample.
      // A thread of its own: re-signing a large zone takes seconds, which must not hold up
      // probes or the HTTP endpoint.
      resigner = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dnslb-resign");
        t.setDaemon(true);
        return t;
      });
      resigner.scheduleAtFixedRate(() -> refreshSignatures(ticker.instant()),
          RESIGN_CHECK_MINUTES, RESIGN_CHECK_MINUTES, TimeUnit.MINUTES);
      if (settings.reloadWatch()) {
        watcher = new DirectoryWatcher(settings.zones(), settings.reloadDebounce().toMillis(),
            this::reload);
      }
    } catch (RuntimeException | InterruptedException | IOException e) {
      close();
      throw e;
    }
    StartupChecks.fileDescriptors(StartupChecks.maxFileDescriptors(),
        settings.tcpMaxConnections(), http == null ? 0 : ObserveHttpServer.MAX_CONNECTIONS)
        .ifPresent(log::warn);
    if (!settings.adminProtectReads()) { // with it, reads need the admin token
      StartupChecks.httpExposure(httpAddress).ifPresent(log::warn);
    }
    boolean reloadNow;
    synchronized (servingLock) {
      serving = true;
      reloadNow = reloadBeforeServing;
    }
    log.info("{} serving DNS on {} (udp+tcp, {} event loops, {}, udp transport {}), "
        + "HTTP on {}: {}",
        BuildInfo.line(), dns.describe(), loops.size(), loops.epoll() ? "epoll" : "nio",
        dns.udpTransport(),
        httpAddress == null ? "off" : io.dnslb.config.HostPort.format(httpAddress),
        describe(catalog()) + "; " + describeCluster());
    if (reloadNow) {
      requestReload();
    }
  }

  /**
   * Joins the fleet before the first probe and the first answer (warm start): the peers' verdicts
   * and the overrides in etcd apply from the first query on. If etcd cannot be reached within a
   * lease TTL, this server starts on its own probes and joins when etcd answers.
   */
  private OverrideStore openCluster(List<ProbeTarget> targets) throws InterruptedException {
    long shortest = targets.stream().filter(t -> t.spec().probed())
        .mapToLong(t -> t.spec().interval().toMillis()).min().orElse(1000);
    Duration ttl = Duration.ofSeconds(Math.max(3, (3 * shortest + 999) / 1000));
    cluster = new EtcdCluster(settings.clusterEtcd(), settings.clusterPrefix(),
        settings.clusterName(), BuildInfo.VERSION, ttl, fleet);
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
    Instant now = ticker.instant();
    for (Pool p : c.pools().all()) {
      ((PoolRuntime) p).setOverrides(unexpired(all.getOrDefault(p.id(), Map.of()), now));
    }
  }

  /** The one place the fleet's decisions reach the health table (also this server's own alone). */
  private void applyHealth(String poolId, String address, boolean up) {
    String key = members.keyOf(poolId + " " + address);
    if (key != null) { // null before the first bind: start() binds before the fleet decides
      health.fleet(key, up ? HealthState.UP : HealthState.DOWN);
    }
  }

  /** An own verdict from the table: the fleet hears it (and publishes it when clustered). */
  private void ownVerdict(String key, HealthState own) {
    String member = members.memberOf(key);
    if (member != null && own != HealthState.UNKNOWN) {
      int sep = member.indexOf(' ');
      String reason = prober == null ? "" : prober.status(key).map(TargetStatus::lastReason).orElse("");
      fleet.own(member.substring(0, sep), member.substring(sep + 1), own == HealthState.UP, reason);
    }
  }

  /**
   * Gives a reloaded catalog's members the fleet's current decision, so a member whose key is new
   * (its check changed) starts from what the fleet knows of its address.
   */
  private void syncFleet(Catalog next) {
    for (PoolRuntime p : runtimes(next)) {
      for (MemberConfig m : p.config().members()) {
        if (m.isPool()) {
          continue; // its state is its child pool's, not the fleet's
        }
        Boolean up = fleet.state(m.poolId(), Addresses.format(m.address()));
        if (up != null) {
          health.fleet(m.key(), up ? HealthState.UP : HealthState.DOWN);
        }
      }
    }
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
   * Answers one throwaway query on this thread before the listeners open, through a processor of
   * its own (no metrics, no cache of the served catalog): loading the query path's classes took
   * over a second on a busy machine, and the first client would have waited for it.
   */
  private static void warmUp(Responder responder) {
    byte[] query = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, // ". A IN" with EDNS
        0, 0, 41, 4, (byte) 0xd0, 0, 0, 0, 0, 0, 0};
    PreparedCatalog empty = PreparedCatalog.of(Catalog.EMPTY);
    QueryProcessor processor = new QueryProcessor(responder, () -> empty, QueryObserver.NONE);
    processor.process(query, null, false); // fast parse, general path, cache store
    processor.process(query, null, false); // cache hit
  }

  /**
   * Gives the catalog's pools their rows in the health table: a member whose key the table knows
   * keeps its state, so a reload neither forgets a dead backend nor waits for live ones.
   *
   * @param reload members a reload adds begin a slow start (their pool's slow-start)
   */
  private void bindHealth(Catalog c, boolean reload) {
    for (PoolRuntime p : runtimes(c)) {
      p.bind(health, reload);
    }
  }

  private static List<PoolRuntime> runtimes(Catalog c) {
    return c.pools().all().stream().map(p -> (PoolRuntime) p).toList();
  }

  /**
   * Reads the zones directory again and swaps the result in, or keeps serving the old data and
   * reports why. Members that survive keep their health (their row in the table) and probe
   * history; new members are probed before the new data is published. Serialised: one reload at
   * a time.
   */
  public synchronized ReloadStatus reload() {
    long t0 = System.nanoTime();
    Catalog next;
    List<ProbeTarget> targets;
    warnUnreadFiles();
    try {
      next = CatalogLoader.load(settings.zones(), catalog().zones().recordCount(), ticker);
      targets = ProbePlan.targets(next, settings.probesDir());
    } catch (ConfigError e) {
      int more = e.all().size() - 1;
      return failed(e.getMessage() + (more > 0 ? " (and " + more + " more: run dnslb check)" : ""));
    } catch (Throwable e) { // an Error too (out of memory, a bug): reported, never silent
      log.error("reload failed unexpectedly", e);
      return failed("unexpected " + e);
    }
    bindHealth(next, true);
    members = Members.of(next, members); // the new keys' verdicts reach the fleet from now on
    syncFleet(next);
    countPoolAnswers(next);
    prober.setTargets(targets); // surviving keys keep their tracker and their row
    try {
      awaitFirstRound();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    applyOverrides(next);
    PreparedCatalog prepared = PreparedCatalog.of(next); // here, not by the first query
    health.rebind(runtimes(next)); // the new pools read the table from now on, rebuilt once
    long now = ticker.wallMillis();
    for (Pool p : next.pools().all()) {
      refresher.refresh((PoolRuntime) p, now); // TTLs and load factors before the first answer
    }
    Catalog previous = catalog();
    current = prepared;
    members = Members.of(next, Members.EMPTY);
    applyOverrides(next); // one that arrived since the line above went to the old catalog only
    lastReload = new ReloadStatus(ticker.instant(), true, null);
    metrics.configReload(true);
    log.info("reloaded in {} ms: {} ({})", (System.nanoTime() - t0) / 1_000_000,
        ReloadDiff.describe(previous, next), describe(next));
    return lastReload;
  }

  /**
   * Re-signs the zones whose signatures are within {@code refresh} of expiring and publishes the
   * result as a new catalog (answer caches start afresh with it). Off the query path; serialised
   * with reloads.
   */
  public synchronized void refreshSignatures(Instant now) {
    Catalog c = current.catalog();
    io.dnslb.dnssec.Signing next;
    try {
      next = c.signing().refreshed(c.zones(), now);
    } catch (RuntimeException e) {
      log.error("re-signing failed, still serving the previous signatures: {}", e.toString());
      return;
    }
    if (next != c.signing()) {
      // Same zones and pools (their health bindings stay); a new index and answer cache.
      current = PreparedCatalog.of(c.withSigning(next));
      log.info("re-signed; next re-sign due {}", next.nextDue());
    }
  }

  private ReloadStatus failed(String error) {
    lastReload = new ReloadStatus(ticker.instant(), false, error);
    metrics.configReload(false);
    log.error("reload failed, still serving the previous data: {}", error);
    return lastReload;
  }

  private void countPoolAnswers(Catalog c) {
    for (Pool p : c.pools().all()) {
      PoolRuntime runtime = (PoolRuntime) p;
      runtime.countAnswersIn(metrics.poolAnswers(p.id()));
      runtime.countMemberAnswersIn(metrics.memberAnswers(p.id(), runtime.config().members()
          .stream().map(MemberConfig::label).toList()));
      Policy policy = runtime.config().policy();
      List<ClientRegion> regions = policy.regions();
      for (int r = 0; r < regions.size(); r++) {
        policy.countRegionAnswersIn(r, metrics.regionAnswers(p.id(), regions.get(r).name()));
      }
    }
  }

  private void warnUnreadFiles() {
    UnreadFiles.warnings(settings.zones()).forEach(w -> log.warn("{}", w));
  }

  /** Asks for a reload on the reload thread, after the debounce delay (SIGHUP). */
  public void requestReload() {
    synchronized (servingLock) {
      if (!serving) {
        // Still starting (or stopped): the files may have changed since they were read.
        reloadBeforeServing = true;
        return;
      }
    }
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
  /**
   * The UDP transport chosen by dnslb.dns.udp-transport: native where asked for (or where "auto"
   * finds it can run), else null for Netty. Asked for and unavailable is an error at start.
   */
  private NativeUdp nativeUdp(QueryProcessor processor) {
    String choice = settings.udpTransport();
    if (choice.equals("netty")) {
      return null;
    }
    String why = NativeUdp.unavailable();
    if (why != null) {
      if (choice.equals("native")) {
        throw new IllegalStateException("dnslb.dns.udp-transport = native, but the native UDP "
            + "transport " + why + "; use auto or netty");
      }
      log.debug("native UDP transport not used: {}", why);
      return null;
    }
    return NativeUdp.create(processor, rateLimiter, settings.udpBatch());
  }

  /** "native", "epoll" or "nio": which code answers UDP (null before start). */
  public String udpTransport() {
    return dns == null ? null : dns.udpTransport();
  }

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
    return current.catalog();
  }

  /** Every member's health, by the slot its pools were given. */
  public HealthTable health() {
    return health;
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
    if (resigner != null) {
      resigner.shutdownNow();
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
    if (refreshing != null) {
      refreshing.cancel(false);
    }
    if (prober != null) {
      prober.close();
    }
    if (probeLoop != null) {
      probeLoop.close();
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
