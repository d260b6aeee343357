package io.dnslb.observe;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Every counter dnslb keeps, rendered as Prometheus text by {@link #render()}.
 *
 * <p>The query path ({@link #query}, and the pools' own
 * {@link #poolAnswers} counters) only increments LongAdders found by array
 * index or a lock-free map read, so event loops do not contend. Label sets are bounded: qtypes map to
 * a fixed list plus OTHER, rcodes to their names (0..23) plus OTHER, pools and members to what the
 * config names. Gauges of pool state are read from the current catalog when scraped.
 */
public final class Metrics {
  public enum Transport { UDP, TCP }

  private static final int RCODES = 24; // 0..23 are assigned; anything else is counted as OTHER
  /** RFC 6895 §2.3 names, as CoreDNS labels them; unassigned ones by number. */
  private static final String[] RCODE_NAMES = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
      "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE", "DSOTYPENI",
      "RCODE12", "RCODE13", "RCODE14", "RCODE15", "BADVERS", "BADKEY", "BADTIME", "BADMODE",
      "BADNAME", "BADALG", "BADTRUNC", "BADCOOKIE"};
  /** The admin states a member can have, each a series of the one-hot admin gauge. */
  private static final String[] ADMIN_STATES = {"none", "up", "down", "drain"};
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long US = TimeUnit.MICROSECONDS.toNanos(1);

  private record CheckKey(String pool, String type, boolean pass) {}

  private record StateKey(String pool, String to) {}

  private record AdminKey(String pool, String action) {}

  private record MemberGauge(String pool, String member, boolean up) {}

  private final LongAdder[] queries = new LongAdder[Transport.values().length * QueryTypes.COUNT * (RCODES + 1)];
  private final Histogram responseTime =
      new Histogram(50 * US, 100 * US, 250 * US, 500 * US, MS, 2 * MS + MS / 2, 5 * MS, 10 * MS, 25 * MS, 100 * MS);
  private final Map<String, LongAdder> poolAnswers = new ConcurrentHashMap<>();
  /** Topology pools' answers by pool and client region. */
  private final Map<RegionKey, LongAdder> regionAnswers = new ConcurrentHashMap<>();
  private final Map<CheckKey, LongAdder> checks = new ConcurrentHashMap<>();
  private final Map<String, Histogram> checkLatency = new ConcurrentHashMap<>();
  private final Map<StateKey, LongAdder> stateChanges = new ConcurrentHashMap<>();
  private final Map<String, MemberGauge> members = new ConcurrentHashMap<>();
  private final LongAdder reloads = new LongAdder();
  private volatile LongSupplier rrlDropped = () -> 0;
  private volatile LongSupplier execProbesKilled = () -> 0;
  private volatile LongSupplier rrlSlipped = () -> 0;
  private final LongAdder reloadFailures = new LongAdder();
  private volatile java.util.function.Supplier<long[]> signatureCache = () -> new long[3];
  private volatile boolean lastReloadOk;
  private volatile long lastReloadSuccessMillis;
  /** Answers per member, by pool and address; kept across reloads like the pool counters. */
  private final Map<String, Map<String, LongAdder>> memberAnswers = new ConcurrentHashMap<>();
  private volatile Supplier<List<PoolState>> poolStates = List::of;
  private final Map<AdminKey, LongAdder> adminChanges = new ConcurrentHashMap<>();
  private volatile java.util.function.IntSupplier clusterConnected;
  private volatile java.util.function.IntSupplier clusterServers;

  public Metrics() {
    for (int i = 0; i < queries.length; i++) {
      queries[i] = new LongAdder();
    }
  }

  /** One answered query: by transport, qtype, rcode, and the time from receipt to write. */
  public void query(Transport transport, int qtype, int rcode, long nanos) {
    int rc = rcode >= 0 && rcode < RCODES ? rcode : RCODES;
    queries[(transport.ordinal() * QueryTypes.COUNT + QueryTypes.index(qtype)) * (RCODES + 1) + rc].increment();
    responseTime.record(nanos);
  }

  /** Where the response rate limiter's counts come from (it keeps its own, per bucket). */
  public void rateLimiter(LongSupplier dropped, LongSupplier slipped) {
    this.rrlDropped = dropped;
    this.rrlSlipped = slipped;
  }

  /** Where the DNSSEC signature cache's {entries, hits, misses} come from. */
  public void signatureCache(java.util.function.Supplier<long[]> stats) {
    this.signatureCache = stats;
  }

  /** Exec probes killed at their deadline or for leaving processes running, read at render. */
  public void execProbesKilled(LongSupplier killed) {
    this.execProbesKilled = killed;
  }

  /** Queries answered so far, all transports, types and rcodes together. */
  public long queriesAnswered() {
    long n = 0;
    for (LongAdder a : queries) {
      n += a.sum();
    }
    return n;
  }

  /**
   * The counter of answers drawn from a pool, handed to the pool itself when it is loaded, so the
   * query path increments it without a lookup. The same counter survives reloads (by pool id).
   */
  public LongAdder poolAnswers(String pool) {
    return poolAnswers.computeIfAbsent(pool, p -> new LongAdder());
  }

  /**
   * The counter of a topology pool's answers to clients of one region; like
   * {@link #poolAnswers}, handed to the pool at load and kept across reloads.
   */
  public LongAdder regionAnswers(String pool, String region) {
    return regionAnswers.computeIfAbsent(new RegionKey(pool, region), k -> new LongAdder());
  }

  private record RegionKey(String pool, String region) {}

  public void checkResult(String pool, String type, boolean pass, long nanos) {
    checkCounters(pool, type).record(pass, nanos);
  }

  /**
   * The counters one pool's checks of one type feed, looked up once: the prober keeps them per
   * member rather than building a key and hashing it for each of 10,000 probes a second.
   */
  public CheckCounters checkCounters(String pool, String type) {
    return new CheckCounters(pool, type,
        checks.computeIfAbsent(new CheckKey(pool, type, true), k -> new LongAdder()),
        checkLatency.computeIfAbsent(type, t -> new Histogram(MS, 5 * MS, 10 * MS, 50 * MS,
            100 * MS, 250 * MS, 500 * MS, 1000 * MS, 2500 * MS, 5000 * MS, 10000 * MS)));
  }

  /** See {@link #checkCounters}; the fail counter appears with the first failure. */
  public final class CheckCounters {
    private final String pool;
    private final String type;
    private final LongAdder passed;
    private final Histogram latency;
    private LongAdder failed; // racy but idempotent: every thread finds the same adder

    private CheckCounters(String pool, String type, LongAdder passed, Histogram latency) {
      this.pool = pool;
      this.type = type;
      this.passed = passed;
      this.latency = latency;
    }

    public void record(boolean pass, long nanos) {
      if (pass) {
        passed.increment();
      } else {
        LongAdder f = failed;
        if (f == null) {
          f = checks.computeIfAbsent(new CheckKey(pool, type, false), k -> new LongAdder());
          failed = f;
        }
        f.increment();
      }
      latency.record(nanos);
    }
  }

  /** @param to the new state's label, e.g. {@code up} or {@code down} */
  public void stateChange(String pool, String to) {
    stateChanges.computeIfAbsent(new StateKey(pool, to), k -> new LongAdder()).increment();
  }

  /** Sets the up/down gauge of one probed member, identified by its stable key. */
  public void memberHealth(String key, String pool, String member, boolean up) {
    members.put(key, new MemberGauge(pool, member, up));
  }

  /** The member is no longer configured: its gauge goes away rather than lying forever. */
  public void memberRemoved(String key) {
    members.remove(key);
  }

  /** @param action set, removed, expired or refused (a 409) */
  public void adminChange(String pool, String action) {
    adminChanges.computeIfAbsent(new AdminKey(pool, action), k -> new LongAdder()).increment();
  }

  /** Where the fleet's gauges come from; without a call, no cluster gauges are written. */
  public void cluster(java.util.function.IntSupplier connected, java.util.function.IntSupplier liveServers) {
    this.clusterConnected = connected;
    this.clusterServers = liveServers;
  }

  /** A reload finished: counted, and its outcome is the "config broken right now" gauge. */
  public void configReload(boolean ok) {
    (ok ? reloads : reloadFailures).increment();
    configOutcome(ok);
  }

  /** The files loaded at start (not a reload, so not counted as one). */
  public void configLoaded() {
    configOutcome(true);
  }

  private void configOutcome(boolean ok) {
    if (ok) {
      lastReloadSuccessMillis = System.currentTimeMillis();
    }
    lastReloadOk = ok;
  }

  /**
   * One counter per member, by member index, handed to the pool when it is loaded (as {@link
   * #poolAnswers}); a member keeps its counter across reloads while its pool and address do.
   */
  public LongAdder[] memberAnswers(String pool, List<String> addresses) {
    Map<String, LongAdder> byAddress = memberAnswers.computeIfAbsent(pool, p -> new ConcurrentHashMap<>());
    LongAdder[] out = new LongAdder[addresses.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = byAddress.computeIfAbsent(addresses.get(i), a -> new LongAdder());
    }
    return out;
  }

  /** Where the pool gauges (failing open, in rotation, admin) come from at scrape time. */
  public void poolStates(Supplier<List<PoolState>> states) {
    this.poolStates = states;
  }

  private void poolGauges(PrometheusText out) {
    List<PoolState> pools = poolStates.get();
    out.header("dnslb_member_answers_total", "counter", "Answers that contained the member");
    new TreeMap<>(memberAnswers).forEach((pool, byAddress) ->
        new TreeMap<>(byAddress).forEach((address, n) -> out.sample("dnslb_member_answers_total",
            PrometheusText.label("pool", pool) + "," + PrometheusText.label("member", address),
            n.sum())));
    out.header("dnslb_pool_failing_open", "gauge",
        "1 while every member of the pool is down and it answers as if they were up");
    for (PoolState p : pools) {
      out.sample("dnslb_pool_failing_open", PrometheusText.label("pool", p.pool()),
          p.failingOpen() ? 1 : 0);
    }
    out.header("dnslb_member_in_rotation", "gauge",
        "1 when the next answer can contain the member (up, not drained or down, serving tier)");
    for (PoolState p : pools) {
      for (PoolState.Member m : p.members()) {
        out.sample("dnslb_member_in_rotation", PrometheusText.label("pool", p.pool()) + ","
            + PrometheusText.label("member", m.address()), m.inRotation() ? 1 : 0);
      }
    }
    out.header("dnslb_member_admin_state", "gauge",
        "The operator's admin setting of each member, one series per state, 1 for the current one");
    for (PoolState p : pools) {
      for (PoolState.Member m : p.members()) {
        for (String state : ADMIN_STATES) {
          out.sample("dnslb_member_admin_state", PrometheusText.label("pool", p.pool()) + ","
              + PrometheusText.label("member", m.address()) + ","
              + PrometheusText.label("state", state), state.equals(m.admin()) ? 1 : 0);
        }
      }
    }
  }

  public String render() {
    PrometheusText out = new PrometheusText();
    out.header("dnslb_queries_total", "counter", "DNS queries answered by transport, qtype and rcode");
    for (Transport t : Transport.values()) {
      for (int q = 0; q < QueryTypes.COUNT; q++) {
        for (int rc = 0; rc <= RCODES; rc++) {
          long n = queries[(t.ordinal() * QueryTypes.COUNT + q) * (RCODES + 1) + rc].sum();
          if (n > 0) {
            out.sample("dnslb_queries_total", PrometheusText.label("transport", t.name().toLowerCase())
                + "," + PrometheusText.label("qtype", QueryTypes.LABELS[q])
                + "," + PrometheusText.label("rcode", rc < RCODES ? RCODE_NAMES[rc] : "OTHER"), n);
          }
        }
      }
    }
    out.header("dnslb_response_seconds", "histogram", "Time from receiving a query to writing its answer");
    responseTime.writeTo(out, "dnslb_response_seconds", "");
    out.header("dnslb_pool_answers_total", "counter", "Answers drawn from each pool");
    new TreeMap<>(poolAnswers).forEach((pool, n) ->
        out.sample("dnslb_pool_answers_total", PrometheusText.label("pool", pool), n.sum()));
    out.header("dnslb_region_answers_total", "counter",
        "Answers of topology pools by the client's region");
    regionAnswers.entrySet().stream()
        .sorted((a, b) -> (a.getKey().pool() + "\0" + a.getKey().region())
            .compareTo(b.getKey().pool() + "\0" + b.getKey().region()))
        .forEach(e -> out.sample("dnslb_region_answers_total",
            PrometheusText.label("pool", e.getKey().pool()) + ","
                + PrometheusText.label("region", e.getKey().region()), e.getValue().sum()));
    out.header("dnslb_member_up", "gauge", "1 when the health check says the member is up, else 0");
    members.values().stream()
        .sorted((a, b) -> a.pool.equals(b.pool) ? a.member.compareTo(b.member) : a.pool.compareTo(b.pool))
        .forEach(m -> out.sample("dnslb_member_up",
            PrometheusText.label("pool", m.pool) + "," + PrometheusText.label("member", m.member), m.up ? 1 : 0));
    out.header("dnslb_checks_total", "counter", "Health check results by pool, type and result");
    checks.forEach((k, n) -> out.sample("dnslb_checks_total", PrometheusText.label("pool", k.pool)
        + "," + PrometheusText.label("type", k.type)
        + "," + PrometheusText.label("result", k.pass ? "pass" : "fail"), n.sum()));
    out.header("dnslb_check_seconds", "histogram", "Health check latency by type");
    new TreeMap<>(checkLatency).forEach((type, h) ->
        h.writeTo(out, "dnslb_check_seconds", PrometheusText.label("type", type)));
    out.header("dnslb_health_changes_total", "counter", "Member health state changes by pool and new state");
    stateChanges.forEach((k, n) -> out.sample("dnslb_health_changes_total",
        PrometheusText.label("pool", k.pool) + "," + PrometheusText.label("to", k.to), n.sum()));
    poolGauges(out);
    out.header("dnslb_config_last_reload_successful", "gauge",
        "1 when the last load or reload of the files succeeded, 0 while the files on disk are broken");
    out.sample("dnslb_config_last_reload_successful", "", lastReloadOk ? 1 : 0);
    out.header("dnslb_config_last_reload_success_timestamp_seconds", "gauge",
        "When the files were last loaded successfully, seconds since the epoch");
    out.sample("dnslb_config_last_reload_success_timestamp_seconds", "",
        lastReloadSuccessMillis / 1000.0);
    out.header("dnslb_build_info", "gauge", "The running version; always 1");
    out.sample("dnslb_build_info", PrometheusText.label("version", BuildInfo.VERSION) + ","
        + PrometheusText.label("java", BuildInfo.JAVA), 1);
    out.header("dnslb_config_reloads_total", "counter", "Configuration reloads by result");
    out.sample("dnslb_config_reloads_total", PrometheusText.label("result", "ok"), reloads.sum());
    out.sample("dnslb_config_reloads_total", PrometheusText.label("result", "failed"), reloadFailures.sum());
    out.header("dnslb_rrl_responses_total", "counter",
        "UDP responses the rate limiter dropped or sent truncated (slipped)");
    out.sample("dnslb_rrl_responses_total", PrometheusText.label("action", "dropped"),
        rrlDropped.getAsLong());
    out.sample("dnslb_rrl_responses_total", PrometheusText.label("action", "slipped"),
        rrlSlipped.getAsLong());
    long[] sig = signatureCache.get();
    out.header("dnslb_dnssec_signature_cache_entries", "gauge",
        "RRSIGs made on the fly (pooled sets, denials, wildcards) held in the signature cache");
    out.sample("dnslb_dnssec_signature_cache_entries", "", sig[0]);
    out.header("dnslb_dnssec_signature_cache_requests_total", "counter",
        "Signature cache lookups by result (starts afresh at each reload and re-sign)");
    out.sample("dnslb_dnssec_signature_cache_requests_total", PrometheusText.label("result", "hit"),
        sig[1]);
    out.sample("dnslb_dnssec_signature_cache_requests_total", PrometheusText.label("result", "miss"),
        sig[2]);
    out.header("dnslb_exec_probes_killed_total", "counter",
        "Exec probes killed at their timeout or for leaving processes running after they exited");
    out.sample("dnslb_exec_probes_killed_total", "", execProbesKilled.getAsLong());
    out.header("dnslb_admin_changes_total", "counter",
        "Runtime member overrides by pool and action (set, removed, expired, refused)");
    adminChanges.forEach((k, n) -> out.sample("dnslb_admin_changes_total",
        PrometheusText.label("pool", k.pool) + "," + PrometheusText.label("action", k.action), n.sum()));
    if (clusterConnected != null) {
      out.header("dnslb_cluster_connected", "gauge", "Whether this server holds a live etcd lease (1) or not (0)");
      out.sample("dnslb_cluster_connected", "", clusterConnected.getAsInt());
      out.header("dnslb_cluster_servers", "gauge", "Live servers of the fleet this one counts, itself included");
      out.sample("dnslb_cluster_servers", "", clusterServers.getAsInt());
    }
    JvmMetrics.writeTo(out);
    return out.toString();
  }
}
