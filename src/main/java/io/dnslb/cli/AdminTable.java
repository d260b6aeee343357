package io.dnslb.cli;

import io.dnslb.observe.http.TextTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The admin API's member JSON as an aligned table: file values beside the override and health. */
final class AdminTable {
  private static final String[] HEADER =
      {"MEMBER", "ADMIN", "WEIGHT", "FILE", "OVERRIDE", "OWN", "FLEET", "SERVERS"};

  private AdminTable() {}

  static String pool(Map<?, ?> pool) {
    return "pool " + pool.get("id") + "  min-serving " + number(pool.get("min_serving")) + "\n"
        + members((List<?>) pool.get("members")) + "\n";
  }

  static String members(List<?> members) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (Object o : members) {
      Map<?, ?> m = (Map<?, ?>) o;
      Map<?, ?> file = (Map<?, ?>) m.get("file");
      Map<?, ?> own = (Map<?, ?>) m.get("own");
      StringBuilder servers = new StringBuilder();
      ((Map<?, ?>) m.get("servers")).forEach((name, v) ->
          servers.append(servers.length() == 0 ? "" : " ").append(name).append('=')
              .append(((Map<?, ?>) v).get("state")));
      rows.add(new String[] {
          String.valueOf(m.get("address")), String.valueOf(m.get("admin")), number(m.get("weight")),
          file.get("admin") + "/" + number(file.get("weight")), override((Map<?, ?>) m.get("override")),
          own == null ? "-" : String.valueOf(own.get("state")), String.valueOf(m.get("fleet")),
          servers.length() == 0 ? "-" : servers.toString()});
    }
    return TextTable.render(rows);
  }

  private static String override(Map<?, ?> o) {
    if (o == null) {
      return "-";
    }
    StringBuilder b = new StringBuilder();
    if (o.get("admin") != null) {
      b.append(o.get("admin"));
    }
    if (o.get("weight") != null) {
      b.append(b.length() == 0 ? "" : ",").append("weight=").append(number(o.get("weight")));
    }
    b.append(" by ").append(o.get("by"));
    if (o.get("expires") != null) {
      b.append(" until ").append(o.get("expires"));
    }
    String reason = String.valueOf(o.get("reason"));
    return TextTable.clean(reason.isEmpty() || "null".equals(reason) ? b.toString()
        : b + " (" + reason + ")");
  }

  private static String number(Object v) {
    return TextTable.whole(v);
  }
}
