package io.dnslb.app;

import io.dnslb.answer.Catalog;
import io.dnslb.config.Addresses;
import io.dnslb.pool.MemberConfig;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolConfig;
import io.dnslb.pool.PoolRuntime;
import io.dnslb.zone.Zone;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a reload changed, in words for the log line: zones added, removed or changed (serial and
 * record count), pools added or removed, and per pool the members added, removed, and those whose
 * weight, priority, admin state or check changed. "nothing changed" when a file was only touched.
 */
final class ReloadDiff {
  private ReloadDiff() {}

  static String describe(Catalog before, Catalog after) {
    List<String> parts = new ArrayList<>();
    zones(before, after, parts);
    Map<String, PoolConfig> oldPools = pools(before);
    Map<String, PoolConfig> newPools = pools(after);
    List<String> poolsAdded = new ArrayList<>(newPools.keySet());
    poolsAdded.removeAll(oldPools.keySet());
    List<String> poolsRemoved = new ArrayList<>(oldPools.keySet());
    poolsRemoved.removeAll(newPools.keySet());
    list(parts, "pools added", poolsAdded);
    list(parts, "pools removed", poolsRemoved);
    for (Map.Entry<String, PoolConfig> e : newPools.entrySet()) {
      PoolConfig old = oldPools.get(e.getKey());
      if (old != null) {
        members(e.getKey(), old, e.getValue(), parts);
      }
    }
    return parts.isEmpty() ? "nothing changed" : String.join("; ", parts);
  }

  private static void zones(Catalog before, Catalog after, List<String> parts) {
    Map<String, Zone> old = new LinkedHashMap<>();
    before.zones().zones().forEach(z -> old.put(z.origin().toString(), z));
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (Zone z : after.zones().zones()) {
      Zone was = old.remove(z.origin().toString());
      if (was == null) {
        added.add(z.origin().toString());
      } else if (was.soa().getSerial() != z.soa().getSerial()
          || was.recordCount() != z.recordCount()) {
        changed.add(z.origin() + " (serial " + was.soa().getSerial() + " -> " + z.soa().getSerial()
            + ", " + was.recordCount() + " -> " + z.recordCount() + " records)");
      }
    }
    list(parts, "zones added", added);
    list(parts, "zones removed", new ArrayList<>(old.keySet()));
    list(parts, "zones changed", changed);
  }

  private static Map<String, PoolConfig> pools(Catalog c) {
    Map<String, PoolConfig> out = new LinkedHashMap<>();
    for (Pool p : c.pools().all()) {
      out.put(p.id(), ((PoolRuntime) p).config());
    }
    return out;
  }

  private static void members(String pool, PoolConfig old, PoolConfig now, List<String> parts) {
    Map<String, MemberConfig> was = new LinkedHashMap<>();
    old.members().forEach(m -> was.put(Addresses.format(m.address()), m));
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (MemberConfig m : now.members()) {
      String address = Addresses.format(m.address());
      MemberConfig o = was.remove(address);
      if (o == null) {
        added.add(address);
        continue;
      }
      List<String> what = new ArrayList<>();
      if (o.weight() != m.weight()) {
        what.add("weight " + o.weight() + " -> " + m.weight());
      }
      if (o.priority() != m.priority()) {
        what.add("priority " + o.priority() + " -> " + m.priority());
      }
      if (o.admin() != m.admin()) {
        what.add("admin " + o.admin().name().toLowerCase(Locale.ROOT) + " -> "
            + m.admin().name().toLowerCase(Locale.ROOT));
      }
      if (!Objects.equals(o.check(), m.check())) {
        what.add("check changed");
      }
      if (!what.isEmpty()) {
        changed.add(address + " " + String.join(", ", what));
      }
    }
    list(parts, "pool " + pool + " members added", added);
    list(parts, "pool " + pool + " members removed", new ArrayList<>(was.keySet()));
    list(parts, "pool " + pool, changed);
    if (!old.policy().name().equals(now.policy().name())) {
      parts.add("pool " + pool + " policy " + old.policy().name() + " -> " + now.policy().name());
    }
    if (!old.ttl().equals(now.ttl())) {
      parts.add("pool " + pool + " ttl " + old.ttl().toSeconds() + "s -> " + now.ttl().toSeconds() + "s");
    }
  }

  private static void list(List<String> parts, String what, List<String> items) {
    if (!items.isEmpty()) {
      parts.add(what + ": " + String.join(", ", items));
    }
  }
}
