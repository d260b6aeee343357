package io.dnslb.observe;

import java.util.List;

/**
 * A pool's state for the gauges, read from the current catalog at scrape time.
 *
 * @param failingOpen every member is down and the pool answers as if all were up
 */
public record PoolState(String pool, boolean failingOpen, List<Member> members) {
  public PoolState {
    members = List.copyOf(members);
  }

  /**
   * @param admin the operator's setting: none, up, down or drain
   * @param inRotation whether the next answer can contain it
   */
  public record Member(String address, String admin, boolean inRotation) {}
}
