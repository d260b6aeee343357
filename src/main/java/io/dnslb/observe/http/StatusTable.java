package io.dnslb.observe.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders a parsed {@code /status} document as aligned text: one block per pool, one row per member. */
final class StatusTable {
  private static final String[] HEADER =
      {"MEMBER", "IN ROTATION", "WEIGHT", "PRIO", "ADMIN", "HEALTH", "LATENCY", "SINCE", "REASON"};
  /** The header when a member of the pool has a runtime override: shown apart from ADMIN. */
  private static final String[] HEADER_OVERRIDE =
      {"MEMBER", "IN ROTATION", "WEIGHT", "PRIO", "ADMIN", "HEALTH", "LATENCY", "SINCE", "REASON",
          "OVERRIDE"};
  private static final int HEALTH_COLUMN = 5;
  /** An empty cell: never checked, never changed. */
  private static final String NONE = "\u2014";
  private static final String GREEN = "\033[32m";
  private static final String RED = "\033[31m";
  private static final String YELLOW = "\033[33m";
  private static final String BOLD = "\033[1m";
  private static final String RESET = "\033[0m";

  private StatusTable() {}

  static String render(Map<?, ?> status, boolean colour) {
    StringBuilder b = new StringBuilder();
    if (status.get("config") instanceof Map<?, ?> config && Boolean.FALSE.equals(config.get("ok"))) {
      // A failed reload means the server still serves older files than the ones on disk.
      String line = "last reload FAILED at " + config.get("at") + ", still serving the previous "
          + "files: " + config.get("error");
      b.append(colour ? RED + line + RESET : line).append("\n\n");
    }
    if (status.get("cluster") instanceof Map<?, ?> cluster) {
      String line = Boolean.TRUE.equals(cluster.get("connected"))
          ? "cluster: " + cluster.get("name") + ", connected to etcd, live servers "
              + String.join(", ", strings(cluster.get("live_servers")))
          : "cluster: " + cluster.get("name") + ", NOT connected to etcd (degraded: last fleet "
              + "view, then own probes)";
      b.append(colour && !Boolean.TRUE.equals(cluster.get("connected")) ? RED + line + RESET : line)
          .append("\n\n");
    }
    List<?> pools = (List<?>) status.get("pools");
    if (pools.isEmpty()) {
      return b.append("no pools\n").toString();
    }
    for (Object o : pools) {
      Map<?, ?> pool = (Map<?, ?>) o;
      String title = "pool " + pool.get("id") + "  " + String.join(", ", strings(pool.get("names")))
          + "  policy " + pool.get("policy");
      b.append(colour ? BOLD + title + RESET : title);
      if (Boolean.TRUE.equals(pool.get("failing_open"))) {
        String warn = "  FAILING OPEN: every member is down, answering as if all were up";
        b.append(colour ? RED + warn + RESET : warn);
      }
      b.append('\n');
      List<?> members = (List<?>) pool.get("members");
      boolean overrides = members.stream().anyMatch(mo -> ((Map<?, ?>) mo).get("override") != null);
      List<String[]> rows = new ArrayList<>();
      rows.add(overrides ? HEADER_OVERRIDE : HEADER);
      for (Object mo : members) {
        Map<?, ?> m = (Map<?, ?>) mo;
        String[] row = {
            text(m.get("address")), rotation(m.get("in_rotation")), integer(m.get("weight")),
            integer(m.get("priority")), admin(m), text(m.get("health")),
            latency(m.get("last_latency_ms")), since(m.get("last_change")), text(m.get("last_reason"))};
        rows.add(overrides ? append(row, text(m.get("override"))) : row);
      }
      TextTable.render(b, rows, colour ? StatusTable::health : null);
      if (pool.get("regions") instanceof List<?> regions) {
        // Topology: where each region's clients go now, and in which order it fails over.
        for (Object ro : regions) {
          Map<?, ?> r = (Map<?, ?>) ro;
          b.append("  region ").append(text(r.get("name"))).append(": serving ")
              .append(text(r.get("serving"))).append("  (pools ")
              .append(String.join(", ", strings(r.get("pools")))).append(")\n");
        }
      }
      b.append('\n');
    }
    return b.toString();
  }

  /** Health is green up, red down, yellow otherwise. */
  private static String health(int column, String cell) {
    return column != HEALTH_COLUMN ? null
        : cell.equals("up") ? GREEN : cell.equals("down") ? RED : YELLOW;
  }

  private static String[] append(String[] row, String cell) {
    String[] out = java.util.Arrays.copyOf(row, row.length + 1);
    out[row.length] = cell;
    return out;
  }

  private static List<String> strings(Object list) {
    return ((List<?>) list).stream().map(String::valueOf).toList();
  }

  private static String text(Object v) {
    return v == null || "".equals(v) ? NONE : TextTable.clean(v);
  }

  private static String rotation(Object v) {
    return v instanceof Boolean in ? (in ? "yes" : "no") : NONE;
  }

  /** "drain (web.pools.conf:12)" or "drain (api: maintenance)": the state, who set it, why. */
  private static String admin(Map<?, ?> m) {
    String state = text(m.get("admin"));
    Object source = m.get("admin_source");
    Object reason = m.get("admin_reason");
    if (source == null && reason == null) {
      return state;
    }
    String who = source == null ? "" : String.valueOf(source).replaceFirst("^.*/", "");
    String why = reason == null ? "" : (who.isEmpty() ? "" : ": ") + reason;
    return state + " (" + (who + why).replaceAll("\\p{Cntrl}", "?") + ")";
  }

  /** To the second: 2026-11-25T23:17:58Z. */
  private static String since(Object v) {
    return v == null ? NONE : text(v).replaceFirst("\\.\\d+Z$", "Z");
  }

  private static String integer(Object v) {
    return v instanceof Double ? TextTable.whole(v) : text(v);
  }

  private static String latency(Object v) {
    return v instanceof Double d ? String.format("%.1fms", d) : NONE;
  }
}
