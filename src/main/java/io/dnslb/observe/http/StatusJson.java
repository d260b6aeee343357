package io.dnslb.observe.http;

import static io.dnslb.json.Json.string;

import io.dnslb.observe.BuildInfo;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Encodes {@code /status} as JSON by hand (it is small and fixed, not worth a dependency).
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
    StringBuilder b = new StringBuilder(256 + pools.size() * 512).append("{\"version\":");
    string(b, BuildInfo.VERSION).append(",\"pools\":[");
    for (int p = 0; p < pools.size(); p++) {
      PoolStatus pool = pools.get(p);
      b.append(p == 0 ? "" : ",").append("{\"id\":");
      string(b, pool.id());
      b.append(",\"names\":[");
      for (int n = 0; n < pool.names().size(); n++) {
        string(b.append(n == 0 ? "" : ","), pool.names().get(n));
      }
      b.append("],\"policy\":");
      string(b, pool.policy());
      b.append(",\"failing_open\":").append(pool.failingOpen()).append(",\"members\":[");
      for (int m = 0; m < pool.members().size(); m++) {
        member(b.append(m == 0 ? "" : ","), pool.members().get(m));
      }
      b.append(']');
      if (!pool.regions().isEmpty()) {
        b.append(",\"regions\":[");
        for (int r = 0; r < pool.regions().size(); r++) {
          RegionStatus region = pool.regions().get(r);
          string(b.append(r == 0 ? "" : ",").append("{\"name\":"), region.name());
          b.append(",\"pools\":[");
          for (int i = 0; i < region.pools().size(); i++) {
            string(b.append(i == 0 ? "" : ","), region.pools().get(i));
          }
          string(b.append("],\"serving\":"), region.serving()).append('}');
        }
        b.append(']');
      }
      b.append('}');
    }
    b.append(']');
    if (config != null) {
      b.append(",\"config\":{\"at\":");
      string(b, time(config.at()));
      b.append(",\"ok\":").append(config.ok()).append(",\"error\":");
      string(b, config.error());
      b.append('}');
    }
    if (cluster != null) {
      b.append(",\"cluster\":{\"name\":");
      string(b, cluster.name());
      b.append(",\"connected\":").append(cluster.connected()).append(",\"live_servers\":[");
      for (int i = 0; i < cluster.liveServers().size(); i++) {
        string(b.append(i == 0 ? "" : ","), cluster.liveServers().get(i));
      }
      b.append("]}");
    }
    return b.append('}').toString();
  }

  private static void member(StringBuilder b, MemberStatus m) {
    b.append("{\"address\":");
    string(b, m.address());
    b.append(",\"weight\":").append(m.weight()).append(",\"priority\":").append(m.priority()).append(",\"admin\":");
    string(b, m.admin());
    b.append(",\"health\":");
    string(b, m.health());
    b.append(",\"last_change\":");
    string(b, time(m.lastChange()));
    b.append(",\"last_reason\":");
    string(b, m.lastReason());
    b.append(",\"last_latency_ms\":");
    if (m.lastLatencyNanos() < 0) {
      b.append("null");
    } else {
      b.append(m.lastLatencyNanos() / 1_000 / 1000.0);
    }
    b.append(",\"in_rotation\":").append(m.inRotation()).append(",\"admin_source\":");
    string(b, m.adminSource());
    b.append(",\"admin_reason\":");
    string(b, m.adminReason());
    b.append(",\"override\":");
    string(b, m.override());
    b.append(",\"effective_weight\":").append(round(m.effectiveWeight()))
        .append(",\"ramp\":").append(round(m.ramp()))
        .append(",\"load_factor\":").append(round(m.loadFactor()))
        .append(",\"answer_share\":").append(round(m.answerShare()));
    b.append('}');
  }

  private static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 10_000) / 10_000.0 : 0;
  }

  /** Milliseconds are plenty for people; nanoseconds made the status table unreadable. */
  private static String time(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
