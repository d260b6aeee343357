package io.dnslb.app;

import io.dnslb.answer.Catalog;
import io.dnslb.pool.MemberConfig;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolRuntime;
import java.util.HashMap;
import java.util.Map;

/**
 * The members of a catalog both ways: the fleet names a member by pool and address, the health
 * table by key (pool, address and check). Immutable; rebuilt per catalog, off the query path.
 */
final class Members {
  static final Members EMPTY = new Members(Map.of(), Map.of());

  private final Map<String, String> keyByMember;
  private final Map<String, String> memberByKey;

  private Members(Map<String, String> keyByMember, Map<String, String> memberByKey) {
    this.keyByMember = keyByMember;
    this.memberByKey = memberByKey;
  }

  /** The catalog's members, on top of {@code also} (a reload maps the old and new at once). */
  static Members of(Catalog c, Members also) {
    Map<String, String> keys = new HashMap<>(also.keyByMember);
    Map<String, String> byKey = new HashMap<>(also.memberByKey);
    for (Pool p : c.pools().all()) {
      for (MemberConfig m : ((PoolRuntime) p).config().members()) {
        String member = p.id() + " " + m.label(); // the address, or pool:ID
        keys.put(member, m.key());
        byKey.put(m.key(), member);
      }
    }
    return new Members(keys, byKey);
  }

  /** The health table key of "pool address", or null. */
  String keyOf(String member) {
    return keyByMember.get(member);
  }

  /** "pool address" of a health table key, or null. */
  String memberOf(String key) {
    return memberByKey.get(key);
  }
}
