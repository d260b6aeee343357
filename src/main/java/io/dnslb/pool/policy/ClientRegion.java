package io.dnslb.pool.policy;

import java.util.List;

/**
 * A set of clients a policy answers alike (a topology region), for /metrics and /status.
 *
 * @param name as configured, the label of its answer counter
 * @param pools the pools it answers from, in the order it tries them
 */
public record ClientRegion(String name, List<String> pools) {
  public ClientRegion {
    pools = List.copyOf(pools);
  }
}
