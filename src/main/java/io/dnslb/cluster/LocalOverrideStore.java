package io.dnslb.cluster;

import io.dnslb.pool.MemberOverride;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The overrides of a server without a cluster: a snapshot in memory, every change first written
 * to the {@link StateFile} (so a change the API confirmed survives {@code kill -9}), loaded from it
 * at start.
 */
public final class LocalOverrideStore implements OverrideStore {
  private final StateFile file;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile Map<String, Map<String, MemberOverride>> current;

  /** Reads the state file; a file that is not ours is an error rather than silently replaced. */
  public LocalOverrideStore(Path stateFile) throws IOException {
    this.file = new StateFile(stateFile);
    this.current = freeze(file.read());
  }

  public Path path() {
    return file.path();
  }

  @Override
  public Map<String, Map<String, MemberOverride>> current() {
    return current;
  }

  @Override
  public synchronized void put(String pool, String address, MemberOverride override)
      throws StoreUnavailable {
    Map<String, Map<String, MemberOverride>> next = copy(current);
    next.computeIfAbsent(pool, k -> new HashMap<>()).put(address, override);
    commit(next);
  }

  @Override
  public synchronized boolean remove(String pool, String address) throws StoreUnavailable {
    Map<String, MemberOverride> members = current.get(pool);
    if (members == null || !members.containsKey(address)) {
      return false;
    }
    Map<String, Map<String, MemberOverride>> next = copy(current);
    next.get(pool).remove(address);
    if (next.get(pool).isEmpty()) {
      next.remove(pool);
    }
    commit(next);
    return true;
  }

  private void commit(Map<String, Map<String, MemberOverride>> next) throws StoreUnavailable {
    try {
      file.write(next);
    } catch (IOException | UncheckedIOException e) {
      throw new StoreUnavailable("cannot write the state file " + file.path() + ": " + e.getMessage());
    }
    current = freeze(next);
    listeners.forEach(Runnable::run);
  }

  @Override
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  @Override
  public void close() {}

  static Map<String, Map<String, MemberOverride>> copy(Map<String, Map<String, MemberOverride>> m) {
    Map<String, Map<String, MemberOverride>> out = new HashMap<>();
    m.forEach((pool, members) -> out.put(pool, new HashMap<>(members)));
    return out;
  }

  static Map<String, Map<String, MemberOverride>> freeze(Map<String, Map<String, MemberOverride>> m) {
    Map<String, Map<String, MemberOverride>> out = new HashMap<>();
    m.forEach((pool, members) -> out.put(pool, Map.copyOf(members)));
    return Map.copyOf(out);
  }
}
