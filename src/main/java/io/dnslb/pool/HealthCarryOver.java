package io.dnslb.pool;

import java.util.HashMap;
import java.util.Map;

/**
 * On reload, gives each member of the new pools the health its twin in the old pools had, so a
 * reload neither forgets a dead backend nor waits {@code rise} probes for live ones. Twins are
 * members with the same {@link MemberConfig#key()}: pool id, address and effective check.
 */
public final class HealthCarryOver {
  private HealthCarryOver() {}

  /** Call on the new table before publishing it; both tables come from {@link PoolDirectory}. */
  public static void carry(Pools previous, Pools next) {
    Map<String, Health> byKey = new HashMap<>();
    for (Pool p : previous.all()) {
      byKey.putAll(((PoolRuntime) p).healthByKey());
    }
    for (Pool p : next.all()) {
      ((PoolRuntime) p).inheritHealth(byKey);
    }
  }
}
