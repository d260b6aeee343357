package io.dnslb.cluster;

import io.dnslb.json.Json;
import io.dnslb.pool.Admin;
import io.dnslb.pool.MemberOverride;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** One override as JSON, the same in the state file and in etcd. */
final class OverrideJson {
  private OverrideJson() {}

  static String encode(String pool, String address, MemberOverride o) {
    StringBuilder b = new StringBuilder(160).append("{\"pool\":");
    Json.string(b, pool).append(",\"address\":");
    Json.string(b, address).append(",\"admin\":");
    Json.string(b, o.admin() == null ? null : o.admin().name().toLowerCase(Locale.ROOT));
    b.append(",\"weight\":").append(o.weight() == MemberOverride.KEEP_WEIGHT ? "null" : o.weight());
    Json.string(b.append(",\"reason\":"), o.reason()).append(",\"expires\":");
    Json.string(b, o.expires() == null ? null : o.expires().toString()).append(",\"by\":");
    Json.string(b, o.by()).append(",\"at\":");
    return Json.string(b, o.at().toString()).append('}').toString();
  }

  /** The override in a parsed object; IllegalArgumentException when a field is wrong. */
  static MemberOverride decode(Map<?, ?> m) {
    Object admin = m.get("admin");
    Object weight = m.get("weight");
    Object expires = m.get("expires");
    return new MemberOverride(
        admin == null ? null : Admin.valueOf(String.valueOf(admin).toUpperCase(Locale.ROOT)),
        weight == null ? MemberOverride.KEEP_WEIGHT : ((Number) weight).intValue(),
        m.get("reason") == null ? "" : String.valueOf(m.get("reason")),
        expires == null ? null : Instant.parse(String.valueOf(expires)),
        String.valueOf(m.get("by")),
        Instant.parse(String.valueOf(m.get("at"))));
  }
}
