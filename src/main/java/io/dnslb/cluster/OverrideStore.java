package io.dnslb.cluster;

import io.dnslb.pool.MemberOverride;
import java.util.Map;

/**
 * Where the operator's runtime overrides live: the local state file for one server, etcd for a
 * fleet. Reads come from a local snapshot (never a round trip); a write returns once the change is
 * durable (renamed into place, or committed by etcd), and every listener has been told.
 */
public interface OverrideStore extends AutoCloseable {
  /** Every override: pool id → member address → override. Immutable snapshot. */
  Map<String, Map<String, MemberOverride>> current();

  /** Sets or replaces one member's override. */
  void put(String pool, String address, MemberOverride override) throws StoreUnavailable;

  /**
   * Removes one member's override; removing none is not an error. Returns whether this call
   * removed it (in a fleet, of several servers expiring the same override only one did).
   */
  boolean remove(String pool, String address) throws StoreUnavailable;

  /** Runs after every change to {@link #current()}, whoever made it (another server too). */
  void onChange(Runnable listener);

  @Override
  void close();

  /** The store cannot take writes now (etcd unreachable): refuse rather than keep it locally. */
  final class StoreUnavailable extends Exception {
    public StoreUnavailable(String message) {
      super(message);
    }
  }
}
