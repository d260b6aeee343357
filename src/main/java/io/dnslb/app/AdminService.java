package io.dnslb.app;

import io.dnslb.answer.Catalog;
import io.dnslb.cluster.FleetHealth;
import io.dnslb.cluster.OverrideStore;
import io.dnslb.config.Addresses;
import io.dnslb.health.Prober;
import io.dnslb.health.TargetStatus;
import io.dnslb.cluster.OverrideJson;
import io.dnslb.json.Json;
import io.dnslb.json.JsonWriter;
import io.dnslb.observe.Metrics;
import io.dnslb.observe.http.AdminApi;
import io.dnslb.pool.Admin;
import io.dnslb.pool.MemberConfig;
import io.dnslb.pool.MemberOverride;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolRuntime;
import io.dnslb.time.Ticker;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Address;

/**
 * The admin API: validates a change, refuses one that would leave a pool with fewer than its
 * {@code min-serving} members serving, hands it to the {@link OverrideStore} (state file or etcd),
 * logs it once and counts it. The store tells the server, which applies it to the pools.
 */
final class AdminService implements AdminApi {
  private static final Logger audit = LoggerFactory.getLogger("dnslb.admin");
  private static final Set<String> FIELDS = Set.of("admin", "weight", "reason", "expires");
  private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,6})(s|m|h|d)");
  private static final int MAX_REASON = 200;

  private final Supplier<Catalog> catalog;
  private final OverrideStore store;
  private final FleetHealth fleet;
  private final Prober prober;
  private final Metrics metrics;
  private final Ticker clock;

  AdminService(Supplier<Catalog> catalog, OverrideStore store, FleetHealth fleet, Prober prober,
      Metrics metrics, Ticker clock) {
    this.catalog = catalog;
    this.store = store;
    this.fleet = fleet;
    this.prober = prober;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public Reply pools() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("server", fleet.self());
    doc.put("live_servers", List.copyOf(fleet.liveServers()));
    List<Object> pools = new ArrayList<>();
    for (Pool p : catalog.get().pools().all()) {
      pools.add(pool((PoolRuntime) p));
    }
    doc.put("pools", pools);
    return new Reply(200, JsonWriter.write(doc));
  }

  @Override
  public Reply pool(String id) {
    PoolRuntime p = find(id);
    return p == null ? error(404, "no pool '" + id + "'") : new Reply(200, JsonWriter.write(pool(p)));
  }

  @Override
  public Reply put(String poolId, String address, String body, String who) {
    PoolRuntime pool = find(poolId);
    MemberConfig member = pool == null ? null : member(pool, address);
    if (member == null) {
      return notFound(poolId, address, pool);
    }
    Map<?, ?> fields;
    try {
      Object parsed = Json.parse(body);
      if (!(parsed instanceof Map<?, ?> m)) {
        return error(400, "body: want a JSON object such as {\"admin\": \"drain\"}");
      }
      fields = m;
    } catch (IllegalArgumentException e) {
      return error(400, "body: " + e.getMessage());
    }
    for (Object k : fields.keySet()) {
      if (!FIELDS.contains(k)) {
        return error(400, k + ": unknown field (known: admin, weight, reason, expires)");
      }
    }
    if (!fields.containsKey("admin") && !fields.containsKey("weight")) {
      return error(400, "admin: give admin or weight (or both)");
    }
    String addr = Addresses.format(member.address());
    MemberOverride old = live(poolId, addr);
    Admin admin = old == null ? null : old.admin();
    int weight = old == null ? MemberOverride.KEEP_WEIGHT : old.weight();
    String reason = old == null ? "" : old.reason();
    Instant expires = old == null ? null : old.expires();
    Instant now = clock.instant();
    Object a = fields.get("admin");
    if (fields.containsKey("admin")) {
      if (!(a instanceof String s) || !Set.of("drain", "down", "up").contains(s)) {
        return error(400, "admin: must be \"drain\", \"down\" or \"up\"");
      }
      admin = Admin.valueOf(s.toUpperCase(Locale.ROOT));
    }
    if (fields.containsKey("weight")) {
      Object w = fields.get("weight");
      if (!(w instanceof Double d) || d != Math.rint(d) || d < 0 || d > 1000) {
        return error(400, "weight: must be a whole number 0..1000");
      }
      weight = d.intValue();
    }
    if (fields.containsKey("reason")) {
      Object r = fields.get("reason");
      if (!(r instanceof String s) || s.length() > MAX_REASON || s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        return error(400, "reason: must be text of at most " + MAX_REASON + " characters without control characters");
      }
      reason = (String) r;
    }
    if (fields.containsKey("expires")) {
      Object e = fields.get("expires");
      Matcher m = e instanceof String s ? DURATION.matcher(s) : null;
      if (m == null || !m.matches()) {
        return error(400, "expires: must be a duration such as 90s, 30m, 12h or 7d");
      }
      expires = now.plus(duration(m));
    }
    MemberOverride next = new MemberOverride(admin, weight, reason, expires, who, now);
    Reply refused = minServing(pool, addr, next);
    if (refused != null) {
      metrics.adminChange(poolId, "refused");
      return refused;
    }
    try {
      store.put(poolId, addr, next);
    } catch (OverrideStore.StoreUnavailable e) {
      return error(503, e.getMessage());
    }
    audit.info("admin {} {}: {} -> {} (reason: {}) by {}", poolId, addr, describe(member, old),
        describe(member, next), reason.isEmpty() ? "none given" : reason, who);
    metrics.adminChange(poolId, "set");
    return new Reply(200, JsonWriter.write(member(pool, member)));
  }

  @Override
  public Reply delete(String poolId, String address, String who) {
    PoolRuntime pool = find(poolId);
    MemberConfig member = pool == null ? null : member(pool, address);
    if (member == null) {
      return notFound(poolId, address, pool);
    }
    String addr = Addresses.format(member.address());
    MemberOverride old = live(poolId, addr);
    if (old != null) {
      Reply refused = minServing(pool, addr, null);
      if (refused != null) {
        metrics.adminChange(poolId, "refused");
        return refused;
      }
      try {
        store.remove(poolId, addr);
      } catch (OverrideStore.StoreUnavailable e) {
        return error(503, e.getMessage());
      }
      audit.info("admin {} {}: {} -> {} (override removed) by {}", poolId, addr,
          describe(member, old), describe(member, null), who);
      metrics.adminChange(poolId, "removed");
    }
    return new Reply(200, JsonWriter.write(member(pool, member)));
  }

  /**
   * Removes the overrides whose time is up (run every few hundred ms). In a fleet every server
   * does it; the first removal wins and the others find nothing to remove.
   */
  void expire() {
    Instant now = clock.instant();
    store.current().forEach((pool, members) -> members.forEach((address, o) -> {
      if (o.expiredAt(now)) {
        try {
          if (!store.remove(pool, address)) {
            return; // another server of the fleet expired it first, and logged it
          }
          audit.info("admin {} {}: override by {} expired, the file's values apply again", pool,
              address, o.by());
          metrics.adminChange(pool, "expired");
        } catch (OverrideStore.StoreUnavailable e) {
          // the pools already ignore it (see Server.applyOverrides); retried on the next round
        }
      }
    }));
  }

  /** 409 when the change would take the pool below min-serving (and lower than it is now). */
  private Reply minServing(PoolRuntime pool, String address, MemberOverride next) {
    Map<String, MemberOverride> now = liveFor(pool.id());
    Map<String, MemberOverride> after = new HashMap<>(now);
    if (next == null) {
      after.remove(address);
    } else {
      after.put(address, next);
    }
    int before = pool.servingWith(now);
    int then = pool.servingWith(after);
    int min = pool.config().minServing();
    if (then < min && then < before) {
      return error(409, "pool " + pool.id() + " would have " + then + " member(s) serving, fewer "
          + "than its min-serving of " + min + "; nothing changed");
    }
    return null;
  }

  private MemberOverride live(String pool, String address) {
    return liveFor(pool).get(address);
  }

  /** The pool's overrides that have not expired, as the pools apply them. */
  private Map<String, MemberOverride> liveFor(String pool) {
    return Server.unexpired(store.current().getOrDefault(pool, Map.of()), clock.instant());
  }

  private Reply notFound(String poolId, String address, PoolRuntime pool) {
    return pool == null ? error(404, "no pool '" + poolId + "'")
        : error(404, "pool " + poolId + " has no member '" + address + "'");
  }

  private PoolRuntime find(String id) {
    for (Pool p : catalog.get().pools().all()) {
      if (p.id().equals(id)) {
        return (PoolRuntime) p;
      }
    }
    return null;
  }

  private static MemberConfig member(PoolRuntime pool, String address) {
    byte[] bytes = Address.toByteArray(address, Address.IPv4);
    if (bytes == null) {
      bytes = Address.toByteArray(address, Address.IPv6);
    }
    if (bytes == null) {
      return null;
    }
    InetAddress ip;
    try {
      ip = InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      return null;
    }
    for (MemberConfig m : pool.config().members()) {
      if (!m.isPool() && m.address().equals(ip)) {
        return m;
      }
    }
    return null;
  }

  private static Duration duration(Matcher m) {
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  private static String describe(MemberConfig m, MemberOverride o) {
    return MemberOverride.admin(m, o).name().toLowerCase(Locale.ROOT) + " weight "
        + MemberOverride.weight(m, o);
  }

  private Map<String, Object> pool(PoolRuntime p) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", p.id());
    out.put("names", p.config().names().stream().map(Object::toString).toList());
    out.put("policy", p.config().policy().name());
    out.put("min_serving", p.config().minServing());
    List<Object> members = new ArrayList<>();
    double[] shares = p.shares();
    double[] ramps = p.ramps(clock.wallMillis());
    for (MemberConfig m : p.config().members()) {
      members.add(member(p, m, shares, ramps));
    }
    out.put("members", members);
    return out;
  }

  private Map<String, Object> member(PoolRuntime p, MemberConfig m) {
    return member(p, m, p.shares(), p.ramps(clock.wallMillis()));
  }

  /**
   * One member: the file's values, the override, the values in force (admin, weight), the
   * weight it gets now (× slow-start ramp × load factor, as in /status), its own verdict, every
   * server's, the fleet's, and its health.
   */
  private Map<String, Object> member(PoolRuntime p, MemberConfig m, double[] shares, double[] ramps) {
    MemberOverride o = p.override(m.index());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("address", m.label()); // the address, or pool:ID
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("admin", m.admin().name().toLowerCase(Locale.ROOT));
    file.put("weight", m.weight());
    file.put("priority", m.priority());
    out.put("file", file);
    out.put("override", o == null ? null : OverrideJson.fields(o));
    out.put("admin", MemberOverride.admin(m, o).name().toLowerCase(Locale.ROOT));
    int weight = MemberOverride.weight(m, o);
    out.put("weight", weight);
    out.put("effective_weight", round(weight * shares[m.index()]));
    out.put("ramp", round(ramps[m.index()]));
    out.put("load_factor", round(prober.loadFactor(m.key())));
    Optional<TargetStatus> own = prober.status(m.key());
    if (own.isEmpty()) {
      out.put("own", null);
    } else {
      TargetStatus s = own.get();
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("state", s.state().label());
      v.put("reason", s.lastReason());
      v.put("since", s.lastChange() == null ? null : s.lastChange().toString());
      out.put("own", v);
    }
    Map<String, Object> servers = new LinkedHashMap<>();
    fleet.verdicts(p.id(), m.label()).forEach((server, v) -> servers.put(server, v.fields()));
    out.put("servers", servers);
    Boolean f = fleet.state(p.id(), m.label());
    out.put("fleet", f == null ? "unknown" : f ? "up" : "down");
    out.put("health", p.health(m.index()).name().toLowerCase(Locale.ROOT));
    return out;
  }

  /** As /status rounds them: four decimals. */
  private static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 10_000) / 10_000.0 : 0;
  }

  private static Reply error(int status, String message) {
    return new Reply(status, JsonWriter.write(Map.of("error", message)));
  }
}
