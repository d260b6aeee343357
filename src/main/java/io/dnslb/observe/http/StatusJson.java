package io.dnslb.observe.http;

import io.dnslb.json.JsonWriter;
import io.dnslb.observe.BuildInfo;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes {@code /status} as JSON (through {@link JsonWriter}, like every JSON dnslb writes).
 * Shape: {@code {"version","pools":[{"id","names":[…],"policy","failing_open","members":[{"address",
 * "weight","priority","admin","health","last_change","last_reason","last_latency_ms","in_rotation",
 * "admin_source","admin_reason","override","effective_weight","ramp","load_factor",
 * "answer_share"}],"regions":[{"name","pools":[…],"serving"}]}],"config":{"at","ok","error"},
 * "cluster":{…}}} ("regions" only for topology pools); unknown values are null, and "config"
 * and "cluster" are left out when the source has none. Times are ISO 8601 in UTC to the
 * millisecond.
 */
public final class StatusJson {
  private StatusJson() {}

  public static String encode(List<PoolStatus> pools) {
    return encode(pools, null);
  }

  public static String encode(List<PoolStatus> pools, ConfigStatus config) {
    return encode(pools, config, null);
  }

  /** With a cluster: {@code "cluster":{"name","connected","live_servers":[…]}}. */
  public static String encode(List<PoolStatus> pools, ConfigStatus config, ClusterStatus cluster) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("version", BuildInfo.VERSION);
    List<Object> list = new ArrayList<>(pools.size());
    for (PoolStatus pool : pools) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("id", pool.id());
      p.put("names", pool.names());
      p.put("policy", pool.policy());
      p.put("failing_open", pool.failingOpen());
      p.put("members", pool.members().stream().map(StatusJson::member).toList());
      if (!pool.regions().isEmpty()) {
        p.put("regions", pool.regions().stream().map(r -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("name", r.name());
          m.put("pools", r.pools());
          m.put("serving", r.serving());
          return m;
        }).toList());
      }
      list.add(p);
    }
    doc.put("pools", list);
    if (config != null) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("at", time(config.at()));
      c.put("ok", config.ok());
      c.put("error", config.error());
      doc.put("config", c);
    }
    if (cluster != null) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", cluster.name());
      c.put("connected", cluster.connected());
      c.put("live_servers", cluster.liveServers());
      doc.put("cluster", c);
    }
    return JsonWriter.write(new StringBuilder(256 + pools.size() * 512), doc).toString();
  }

  private static Map<String, Object> member(MemberStatus m) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("address", m.address());
    o.put("weight", m.weight());
    o.put("priority", m.priority());
    o.put("admin", m.admin());
    o.put("health", m.health());
    o.put("last_change", time(m.lastChange()));
    o.put("last_reason", m.lastReason());
    o.put("last_latency_ms", m.lastLatencyNanos() < 0 ? null : m.lastLatencyNanos() / 1_000 / 1000.0);
    o.put("in_rotation", m.inRotation());
    o.put("admin_source", m.adminSource());
    o.put("admin_reason", m.adminReason());
    o.put("override", m.override());
    o.put("effective_weight", round(m.effectiveWeight()));
    o.put("ramp", round(m.ramp()));
    o.put("load_factor", round(m.loadFactor()));
    o.put("answer_share", round(m.answerShare()));
    return o;
  }

  private static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 10_000) / 10_000.0 : 0;
  }

  /** Milliseconds are plenty for people; nanoseconds made the status table unreadable. */
  private static String time(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
