package io.dnslb.cluster;

import io.dnslb.json.Json;
import io.dnslb.json.JsonWriter;
import io.dnslb.pool.MemberOverride;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server's membership in a fleet on etcd. Under {@code <prefix>}:
 * <pre>
 *   servers/&lt;name&gt;                     this server is alive   (under its lease)
 *   health/&lt;pool&gt;/&lt;address&gt;/&lt;name&gt;   its verdict on a member (under its lease)
 *   overrides/&lt;pool&gt;/&lt;address&gt;        an operator's override (no lease: it outlives every server)
 * </pre>
 * One thread keeps the lease alive (every TTL/3, with a short timeout, and nothing else); one
 * publishes verdict changes; another watches the prefix and feeds peers' verdicts, the live set
 * and the overrides to {@link FleetHealth} and the override listeners. A slow write (etcd fsyncs
 * every transaction; a busy disk can take seconds) is retried and never costs the lease; only a
 * lease that etcd says is gone, or one not renewed for a whole TTL, starts over. Liveness is
 * etcd's lease, ordering is etcd's revision, a reconnect is a fresh read plus a watch from its
 * revision: nothing here decides anything etcd already does.
 *
 * <p>When etcd cannot be reached, answers go on from the last view; after one lease TTL (when our
 * own keys have expired for the others too) peers' verdicts stop counting and this server's own
 * probes decide; it reconnects, republishes and reads everything again by itself.
 */
public final class EtcdCluster implements OverrideStore {
  private static final Logger log = LoggerFactory.getLogger(EtcdCluster.class);
  /** Operations per transaction; etcd refuses more than 128 by default. */
  private static final int TXN_OPS = 100;
  /**
   * Transactions sent between two looks at the keep-alive clock: a backlog (10,000 verdicts after
   * a reconnect) must not starve the lease.
   */
  private static final int TXNS_PER_ROUND = 5;
  private static final long RETRY_MILLIS = 500;

  /** Reads and writes: a write may wait for etcd's disk, so its timeout is a whole TTL. */
  private final EtcdGateway etcd;
  /** Keep-alives only: a short timeout, on their own thread, so they never queue behind a write. */
  private final EtcdGateway renewals;
  private final String prefix;
  private final String name;
  private final String version;
  private final Duration ttl;
  private final FleetHealth fleet;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, FleetHealth.Verdict> pending = new ConcurrentHashMap<>();
  private final Object wake = new Object();
  private final CountDownLatch firstConnect = new CountDownLatch(1);
  private final Thread main;
  private volatile Map<String, Map<String, MemberOverride>> overrides = Map.of();
  private volatile boolean connected;
  private volatile boolean closed;
  private volatile Thread watcher;
  /**
   * Which watch is current: a stream that was given up on may still deliver a line or fail
   * later (a blocked read does not always end on interrupt); only the current one counts.
   */
  private final java.util.concurrent.atomic.AtomicLong watchGeneration = new java.util.concurrent.atomic.AtomicLong();
  private volatile IOException watchFailure;
  private final Set<String> live = ConcurrentHashMap.newKeySet();

  /**
   * @param ttl the lease TTL: about three probe intervals, at least 3 s
   */
  public EtcdCluster(List<String> endpoints, String prefix, String name, String version,
      Duration ttl, FleetHealth fleet) {
    // a keep-alive must fail inside its period (TTL/3), so a dead member costs no lease
    this.renewals = new EtcdGateway(endpoints, Duration.ofMillis(Math.max(500, ttl.toMillis() / 4)));
    this.etcd = new EtcdGateway(endpoints, ttl);
    this.prefix = prefix + "/";
    this.name = name;
    this.version = version;
    this.ttl = ttl;
    this.fleet = fleet;
    this.main = new Thread(this::run, "dnslb-cluster");
    main.setDaemon(true);
    fleet.publisher((pool, address, v) -> {
      pending.put(healthKey(pool, address, name), v);
      wakeMain();
    });
  }

  /**
   * Starts, and waits up to {@code wait} for the first connection so that the fleet's states and
   * overrides are known before this server answers (warm start). Returns whether it connected.
   */
  public boolean start(Duration wait) throws InterruptedException {
    main.start();
    return firstConnect.await(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean connected() {
    return connected;
  }

  public Duration ttl() {
    return ttl;
  }

  @Override
  public Map<String, Map<String, MemberOverride>> current() {
    return overrides;
  }

  @Override
  public void put(String pool, String address, MemberOverride o) throws StoreUnavailable {
    write(pool, address, OverrideJson.encode(pool, address, o));
  }

  @Override
  public boolean remove(String pool, String address) throws StoreUnavailable {
    return write(pool, address, null);
  }

  /** Puts (json) or deletes (null); returns whether etcd had the key. */
  private boolean write(String pool, String address, String json) throws StoreUnavailable {
    if (!connected) {
      throw new StoreUnavailable("etcd is unreachable: the change was not made (an override is "
          + "never kept on one server only); try again when dnslb_cluster_connected is 1");
    }
    String key = overrideKey(pool, address);
    boolean had = true;
    try {
      if (json == null) {
        had = etcd.delete(key);
      } else {
        etcd.put(key, json, 0);
      }
    } catch (IOException e) {
      throw new StoreUnavailable("etcd did not take the change: " + e.getMessage());
    }
    // the watch brings the same change; applying it now lets the reply show it
    applyOverride(key, json);
    return had;
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  @Override
  public void close() {
    closed = true;
    main.interrupt();
    Thread w = watcher;
    if (w != null) {
      w.interrupt();
    }
    try {
      main.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The lease of the current connection; only the main thread sets it. */
  private Renewer renewer;

  // Real clocks here, not the server's Ticker: this loop and the renewer pace real waits
  // (sleeps, socket timeouts) against etcd's own lease TTL, which a manual ticker cannot move;
  // a test of this timing needs a real etcd (FleetE2ETest, EtcdCluster3).
  private void run() {
    Instant lostAt = null;
    boolean degraded = false;
    while (!closed) {
      renewer = null;
      try {
        long lease = etcd.grant(ttl.toSeconds()); // a raft write: it may wait for etcd's disk
        renewer = new Renewer(lease);
        connect(lease);
        if (lostAt != null) {
          log.info("cluster: connected to etcd again after {} ms; {} live server(s)",
              Duration.between(lostAt, Instant.now()).toMillis(), live.size());
        }
        lostAt = null;
        degraded = false;
        firstConnect.countDown();
        serve(renewer);
      } catch (IOException | RuntimeException e) {
        if (closed) {
          break;
        }
        connected = false;
        stopWatch();
        long since = 0; // when renewals began to fail: etcd was gone from then on
        if (renewer != null) {
          since = renewer.failingSince;
          renewer.stop(false);
          renewer = null;
        }
        if (lostAt == null) {
          lostAt = since == 0 ? Instant.now() : Instant.ofEpochMilli(since);
          log.warn("cluster: lost etcd ({}); answering from the last fleet view, own probes "
              + "decide after {} s", e.getMessage(), ttl.toSeconds());
        }
        if (!degraded && Duration.between(lostAt, Instant.now()).compareTo(ttl) >= 0) {
          degraded = true;
          fleet.live(Set.of(), false);
          log.warn("cluster: etcd unreachable for a lease TTL: this server's own probes decide");
        }
        try {
          sleep(RETRY_MILLIS);
        } catch (InterruptedException stop) {
          break;
        }
      } catch (InterruptedException e) {
        break;
      }
    }
    connected = false;
    stopWatch();
    Renewer last = renewer;
    if (last != null) {
      Thread.interrupted(); // the stop's interrupt must not cancel the revoke
      last.stop(true); // a clean stop leaves the fleet at once, not after a TTL
    }
  }

  /**
   * Keeps one lease alive on its own thread. A failed renewal marks this server disconnected
   * (writes answer 503) but keeps the lease: the next renewal that works within the TTL carries
   * on as if nothing happened. Tells the main loop when etcd says the lease is gone.
   */
  private final class Renewer {
    final long lease;
    final Thread thread;
    volatile long renewedAt = System.currentTimeMillis();
    /** When renewals started failing; 0 while they work. */
    volatile long failingSince;
    volatile boolean expired;

    Renewer(long lease) {
      this.lease = lease;
      this.thread = new Thread(this::run, "dnslb-cluster-lease");
      thread.setDaemon(true);
      thread.start();
    }

    private void run() {
      long period = Math.max(500, ttl.toMillis() / 3);
      while (!closed && !expired && !Thread.currentThread().isInterrupted()) {
        try {
          Thread.sleep(failingSince == 0 ? period : RETRY_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
        try {
          if (renewals.keepAlive(lease)) {
            renewedAt = System.currentTimeMillis();
            failingSince = 0;
          } else {
            expired = true;
          }
        } catch (IOException e) {
          if (failingSince == 0) {
            failingSince = System.currentTimeMillis();
          }
          connected = false;
        }
        wakeMain();
      }
    }

    /** Why the lease can no longer be counted on, or null while it holds. */
    String lost() {
      if (expired) {
        return "lease expired";
      }
      long since = System.currentTimeMillis() - renewedAt;
      return since >= ttl.toMillis() ? "lease not renewed for " + since + " ms" : null;
    }

    void stop(boolean revoke) {
      thread.interrupt();
      if (revoke) {
        try {
          renewals.revoke(lease);
        } catch (IOException e) {
          // it expires by itself
        }
      }
    }
  }

  /**
   * This server's key under the lease, a fresh read of everything, and a watch from there. Our
   * verdicts are queued for publishing again (under the new lease) by {@link #serve}.
   */
  private void connect(long lease) throws IOException, InterruptedException {
    etcd.put(prefix + "servers/" + enc(name), serverJson(), lease);
    pending.clear();
    fleet.ownVerdicts().forEach((id, v) -> {
      int sep = id.indexOf(' ');
      pending.put(healthKey(id.substring(0, sep), id.substring(sep + 1), name), v);
    });
    long[] revision = new long[1];
    List<EtcdGateway.KeyValue> all = etcd.range(prefix, revision);
    Map<String, Map<String, FleetHealth.Verdict>> peers = new HashMap<>();
    Map<String, Map<String, MemberOverride>> ov = new HashMap<>();
    live.clear();
    for (EtcdGateway.KeyValue kv : all) {
      Parsed p = parse(kv.key());
      if (p == null) {
        continue;
      }
      switch (p.kind) {
        case "servers" -> live.add(p.a);
        case "health" -> {
          FleetHealth.Verdict v = verdict(kv.value());
          if (v != null) {
            peers.computeIfAbsent(p.c, k -> new HashMap<>()).put(p.a + " " + p.b, v);
          }
        }
        case "overrides" -> {
          MemberOverride o = override(kv.value());
          if (o != null) {
            ov.computeIfAbsent(p.a, k -> new HashMap<>()).put(p.b, o);
          }
        }
        default -> { }
      }
    }
    fleet.peersSnapshotById(peers);
    fleet.live(Set.copyOf(live), true);
    overrides = LocalOverrideStore.freeze(ov);
    listeners.forEach(Runnable::run);
    startWatch(revision[0] + 1);
    connected = true;
  }

  /**
   * Publishes verdicts until the lease or the watch is lost. A write that fails or times out is
   * put back and retried after a pause: the lease (renewed apart) is what says whether we are
   * still in the fleet, not one slow transaction.
   */
  private void serve(Renewer renewer) throws IOException, InterruptedException {
    long retryAt = 0;
    while (!closed) {
      if (watchFailure != null) {
        throw watchFailure;
      }
      String lost = renewer.lost();
      if (lost != null) {
        throw new IOException(lost);
      }
      connected = renewer.failingSince == 0;
      if (System.currentTimeMillis() >= retryAt) {
        try {
          flush(renewer.lease);
        } catch (IOException e) {
          retryAt = System.currentTimeMillis() + RETRY_MILLIS;
          log.debug("cluster: publishing verdicts failed, retrying: {}", e.getMessage());
        }
      }
      synchronized (wake) {
        if ((pending.isEmpty() || System.currentTimeMillis() < retryAt) && watchFailure == null) {
          wake.wait(200);
        }
      }
    }
  }

  /**
   * Publishes up to {@link #TXNS_PER_ROUND} transactions of pending verdicts, each change in one
   * put (the latest verdict of a member wins if it changed twice meanwhile). A batch that fails
   * goes back to the queue, unless a newer verdict for the same member arrived meanwhile.
   */
  private void flush(long lease) throws IOException {
    for (int t = 0; t < TXNS_PER_ROUND && !pending.isEmpty(); t++) {
      List<String[]> puts = new ArrayList<>();
      Map<String, FleetHealth.Verdict> batch = new HashMap<>();
      for (String key : pending.keySet()) {
        if (puts.size() == TXN_OPS) {
          break;
        }
        FleetHealth.Verdict v = pending.remove(key);
        if (v != null) {
          batch.put(key, v);
          puts.add(new String[] {key, verdictJson(v)});
        }
      }
      if (!puts.isEmpty()) {
        try {
          etcd.txn(puts, lease, List.of());
        } catch (IOException e) {
          batch.forEach(pending::putIfAbsent);
          throw e;
        }
      }
    }
  }

  private void wakeMain() {
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  private void startWatch(long fromRevision) {
    watchFailure = null;
    long gen = watchGeneration.incrementAndGet();
    CountDownLatch created = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      try {
        etcd.watch(prefix, fromRevision, events -> {
          if (watchGeneration.get() == gen) {
            onEvents(events);
          }
        }, created::countDown);
      } catch (IOException e) {
        fail(gen, e);
      } catch (InterruptedException e) {
        // stopping
      } catch (RuntimeException e) {
        fail(gen, new IOException("watch: " + e, e));
      }
    }, "dnslb-cluster-watch");
    t.setDaemon(true);
    watcher = t;
    t.start();
    try {
      created.await(ttl.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void fail(long gen, IOException e) {
    if (watchGeneration.get() == gen && watchFailure == null) {
      watchFailure = e;
    }
    wakeMain();
  }

  private void stopWatch() {
    watchGeneration.incrementAndGet();
    Thread w = watcher;
    watcher = null;
    if (w != null) {
      w.interrupt();
    }
  }

  private void onEvents(List<EtcdGateway.Event> events) {
    boolean liveChanged = false;
    for (EtcdGateway.Event ev : events) {
      Parsed p = parse(ev.key());
      if (p == null) {
        continue;
      }
      switch (p.kind) {
        case "servers" -> liveChanged |= ev.value() == null ? live.remove(p.a) : live.add(p.a);
        case "health" -> fleet.peer(p.c, p.a, p.b, ev.value() == null ? null : verdict(ev.value()));
        case "overrides" -> applyOverride(ev.key(), ev.value());
        default -> { }
      }
    }
    if (liveChanged) {
      fleet.live(Set.copyOf(live), true);
    }
  }

  private synchronized void applyOverride(String key, String json) {
    Parsed p = parse(key);
    if (p == null) {
      return;
    }
    MemberOverride o = json == null ? null : override(json);
    Map<String, Map<String, MemberOverride>> next = LocalOverrideStore.copy(overrides);
    if (o == null) {
      Map<String, MemberOverride> m = next.get(p.a);
      if (m == null || m.remove(p.b) == null) {
        return;
      }
      if (m.isEmpty()) {
        next.remove(p.a);
      }
    } else {
      if (o.equals(overrides.getOrDefault(p.a, Map.of()).get(p.b))) {
        return;
      }
      next.computeIfAbsent(p.a, k -> new HashMap<>()).put(p.b, o);
    }
    overrides = LocalOverrideStore.freeze(next);
    listeners.forEach(Runnable::run);
  }

  /** A key below the prefix split into kind and decoded parts; null for keys not ours. */
  private record Parsed(String kind, String a, String b, String c) {}

  private Parsed parse(String key) {
    if (!key.startsWith(prefix)) {
      return null;
    }
    String[] parts = key.substring(prefix.length()).split("/", -1);
    for (int i = 1; i < parts.length; i++) {
      parts[i] = URLDecoder.decode(parts[i], StandardCharsets.UTF_8);
    }
    return switch (parts[0]) {
      case "servers" -> parts.length == 2 ? new Parsed("servers", parts[1], null, null) : null;
      case "health" -> parts.length == 4 ? new Parsed("health", parts[1], parts[2], parts[3]) : null;
      case "overrides" -> parts.length == 3 ? new Parsed("overrides", parts[1], parts[2], null) : null;
      default -> null;
    };
  }

  private String healthKey(String pool, String address, String server) {
    return prefix + "health/" + enc(pool) + "/" + enc(address) + "/" + enc(server);
  }

  private String overrideKey(String pool, String address) {
    return prefix + "overrides/" + enc(pool) + "/" + enc(address);
  }

  private String serverJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("version", version);
    m.put("since", Instant.now().toString());
    return JsonWriter.write(m);
  }

  private static String verdictJson(FleetHealth.Verdict v) {
    return JsonWriter.write(v.fields());
  }

  private static FleetHealth.Verdict verdict(String json) {
    try {
      Map<?, ?> m = (Map<?, ?>) Json.parse(json);
      return new FleetHealth.Verdict("up".equals(m.get("state")), String.valueOf(m.get("reason")),
          Instant.parse(String.valueOf(m.get("at"))));
    } catch (RuntimeException e) {
      log.warn("cluster: ignoring a verdict that is not ours: {}", json);
      return null;
    }
  }

  private static MemberOverride override(String json) {
    try {
      return OverrideJson.decode((Map<?, ?>) Json.parse(json));
    } catch (RuntimeException e) {
      log.warn("cluster: ignoring an override that is not ours: {}", json);
      return null;
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void sleep(long ms) throws InterruptedException {
    Thread.sleep(ms);
  }

  /** Members in the fleet's view right now, for /status. */
  public Set<String> liveServers() {
    return new HashSet<>(live);
  }
}
