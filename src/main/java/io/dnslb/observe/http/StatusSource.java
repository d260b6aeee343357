package io.dnslb.observe.http;

import java.util.List;

/**
 * What {@code GET /status} shows, supplied by the app from the current pool table and the prober.
 * Called on an event loop for each request: it should read snapshots, not lock or block.
 */
@FunctionalInterface
public interface StatusSource {
  List<PoolStatus> pools();

  /** The last (re)load of the files; null when there is nothing to say. */
  default ConfigStatus config() {
    return null;
  }

  /** This server's place in a fleet; null without a cluster. */
  default ClusterStatus cluster() {
    return null;
  }
}
