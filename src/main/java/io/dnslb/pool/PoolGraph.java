package io.dnslb.pool;

import io.dnslb.config.ConfigError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks how pools reference each other through {@code { pool = "x" }} members, across all
 * files: every reference must name a defined pool, no pool may contain itself through any chain
 * (a cycle would never answer), and a pool without names must be some pool's member (else it
 * leads nowhere). Orders the pools children first, the order they must be built in.
 */
final class PoolGraph {
  private PoolGraph() {}

  /**
   * @param defined every pool id the files define, including pools left out for errors (a
   *     reference to those is not reported again as dangling)
   * @return the pools in build order: every child before the pools listing it
   */
  static List<PoolConfig> order(List<PoolConfig> configs, Set<String> defined,
      List<ConfigError> errors) {
    Map<String, PoolConfig> byId = new LinkedHashMap<>();
    configs.forEach(c -> byId.put(c.id(), c));
    Set<String> referenced = new HashSet<>();
    for (PoolConfig c : configs) {
      for (MemberConfig m : c.members()) {
        if (m.isPool()) {
          referenced.add(m.pool());
          if (!defined.contains(m.pool())) {
            errors.add(new ConfigError(m.file(), m.line(), "pool " + c.id() + " member pool:"
                + m.pool() + ": no pool " + m.pool() + " is defined"));
          }
        }
      }
    }
    List<PoolConfig> ordered = new ArrayList<>();
    Map<String, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = done
    for (PoolConfig c : configs) {
      visit(c, byId, state, new ArrayList<>(), ordered, errors);
    }
    // Only on an otherwise clean load: a parent left out for its errors would make its
    // children look unreferenced.
    if (errors.isEmpty()) {
      for (PoolConfig c : configs) {
        if (c.names().isEmpty() && !referenced.contains(c.id())) {
          errors.add(new ConfigError(c.file(), c.line(), "pool " + c.id() + " has no names, "
              + "and no pool lists it as a member, so it answers nothing"));
        }
      }
    }
    return ordered;
  }

  private static void visit(PoolConfig c, Map<String, PoolConfig> byId,
      Map<String, Integer> state, List<String> path, List<PoolConfig> ordered,
      List<ConfigError> errors) {
    Integer s = state.get(c.id());
    if (s != null) {
      return;
    }
    state.put(c.id(), 1);
    path.add(c.id());
    for (MemberConfig m : c.members()) {
      PoolConfig child = m.isPool() ? byId.get(m.pool()) : null;
      if (child == null) {
        continue;
      }
      if (Integer.valueOf(1).equals(state.get(child.id()))) {
        List<String> cycle = new ArrayList<>(path.subList(path.indexOf(child.id()), path.size()));
        cycle.add(child.id());
        errors.add(new ConfigError(m.file(), m.line(), "pool " + c.id() + " member pool:"
            + m.pool() + " makes a cycle: " + String.join(" -> ", cycle)));
        continue;
      }
      visit(child, byId, state, path, ordered, errors);
    }
    path.remove(path.size() - 1);
    state.put(c.id(), 2);
    ordered.add(c);
  }
}
