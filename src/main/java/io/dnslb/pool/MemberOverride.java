package io.dnslb.pool;

import java.time.Instant;

/**
 * An operator's runtime change to one member, set through the admin API. It beats both the file's
 * value and health, and is kept outside the pool files (the state file, or etcd in a fleet), so a
 * reload of the files keeps it.
 *
 * @param admin the forced admin state, or null to keep the file's
 * @param weight the weight to use, or -1 to keep the file's
 * @param reason free text for the audit log and status; may be empty
 * @param expires when the file's values come back by themselves; null for never
 * @param by who set it: a token's name or the client's address
 * @param at when it was set
 */
public record MemberOverride(Admin admin, int weight, String reason, Instant expires, String by,
    Instant at) {
  public static final int KEEP_WEIGHT = -1;

  public boolean expiredAt(Instant now) {
    return expires != null && !now.isBefore(expires);
  }

  /** The admin state a member with this file value serves under. */
  public static Admin admin(MemberConfig m, MemberOverride o) {
    return o == null || o.admin == null ? m.admin() : o.admin;
  }

  /** The weight a member with this file value serves under. */
  public static int weight(MemberConfig m, MemberOverride o) {
    return o == null || o.weight == KEEP_WEIGHT ? m.weight() : o.weight;
  }
}
