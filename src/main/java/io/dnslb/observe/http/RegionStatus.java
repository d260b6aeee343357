package io.dnslb.observe.http;

import java.util.List;

/**
 * One region of a topology pool in {@code /status}.
 *
 * @param pools the region's pools in failover order
 * @param serving the pool answering the region's clients now (for A, else AAAA queries), or
 *     {@code servfail} when none serves and the pool answers SERVFAIL
 */
public record RegionStatus(String name, List<String> pools, String serving) {
  public RegionStatus {
    pools = List.copyOf(pools);
  }
}
