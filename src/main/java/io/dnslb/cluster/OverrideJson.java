package io.dnslb.cluster;

import io.dnslb.json.Json;
import io.dnslb.json.JsonWriter;
import io.dnslb.pool.Admin;
import io.dnslb.pool.MemberOverride;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One override as JSON, the same in the state file and in etcd ({@link #encode}); its fields, the
 * same again, in the admin API's member view ({@link #fields}).
 */
public final class OverrideJson {
  private OverrideJson() {}

  static String encode(String pool, String address, MemberOverride o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pool", pool);
    m.put("address", address);
    m.putAll(fields(o));
    return JsonWriter.write(new StringBuilder(160), m).toString();
  }

  /** admin (null: kept from the file), weight (null: kept), reason, expires, by, at. */
  public static Map<String, Object> fields(MemberOverride o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("admin", o.admin() == null ? null : o.admin().name().toLowerCase(Locale.ROOT));
    m.put("weight", o.weight() == MemberOverride.KEEP_WEIGHT ? null : o.weight());
    m.put("reason", o.reason());
    m.put("expires", o.expires() == null ? null : o.expires().toString());
    m.put("by", o.by());
    m.put("at", o.at().toString());
    return m;
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
