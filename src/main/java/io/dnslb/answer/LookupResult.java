package io.dnslb.answer;

import io.dnslb.pool.Pool;
import io.dnslb.zone.Node;
import io.dnslb.zone.Zone;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;

/**
 * What {@link Lookup} decided for one question, before anything is written: which RFC 1034
 * §4.3.2 case applies and the RRsets it answers with. {@link ResponseWriter} turns it into a
 * message (sections, AA, glue, signatures, what fits); tests check the decision without a socket.
 *
 * <p>A CNAME chain is a {@link Cname} whose {@code next} is the result at its target. Every
 * in-zone result names its zone: the writer signs with that zone's keys.
 */
public sealed interface LookupResult {

  /** The ECS scope prefix the answer depends on (0 unless a pool chose by client subnet). */
  default int ecsScope() {
    return 0;
  }

  /** Why a CNAME chain stopped before reaching a final answer (the resolver follows on). */
  enum ChainEnd {
    /** Followed: {@code next} holds the result at the target. */
    FOLLOWED,
    /** The target is in none of our zones. */
    OUT_OF_ZONE,
    /** The target was already visited: the CNAMEs so far are the answer. */
    LOOP,
    /** The chain reached the configured maximum length. */
    TOO_LONG
  }

  /** An address, or glue, that goes in the additional section. */
  record Extra(Name owner, RRset set, boolean wildcard) {}

  /**
   * The name exists and has the type (step 3a); for ANY its first RRset (RFC 8482 minimal
   * ANY), for ANY at a CNAME the CNAME itself.
   *
   * @param additional addresses of NS/MX/SRV targets in our zones (step 6), possibly synthesised
   *     from a wildcard
   */
  record Exact(Zone zone, Name owner, RRset set, List<Extra> additional, int ecsScope)
      implements LookupResult {}

  /**
   * Synthesised from the wildcard {@code source} at the closest encloser (RFC 4592 §3.3.1): the
   * set's records are written with {@code owner} (the name asked) as owner.
   */
  record Wildcard(Zone zone, Name owner, Name source, RRset set, List<Extra> additional,
      int ecsScope) implements LookupResult {}

  /**
   * A CNAME at the name, or synthesised from a wildcard, restarting at its target (step 3a).
   *
   * @param next the result at the target; null unless {@code end} is {@link ChainEnd#FOLLOWED}
   */
  record Cname(Zone zone, Name owner, RRset set, boolean wildcard, ChainEnd end,
      LookupResult next) implements LookupResult {
    @Override
    public int ecsScope() {
      return next == null ? 0 : next.ecsScope();
    }

    /** The result the chain ends in: the last CNAME when it stopped, else its final answer. */
    public LookupResult last() {
      LookupResult r = this;
      while (r instanceof Cname c && c.next != null) {
        r = c.next;
      }
      return r;
    }
  }

  /**
   * A pool chose these addresses for the client (in the pool's order, before any fit);
   * configuredTtl is the pool's TTL, the original TTL a signature covers when the served TTL is
   * lower (ttl = auto).
   */
  record Pooled(Zone zone, Name owner, List<Record> records, int ecsScope, long configuredTtl)
      implements LookupResult {}

  /** The pool could not answer (no eligible member and no fail-open): SERVFAIL, AA clear. */
  record PoolFailed(Zone zone, Name owner, int ecsScope) implements LookupResult {}

  /**
   * The name is a pool's; its selector was not asked. Only {@link Lookup#route} returns it (an
   * explanation must not advance a round robin); a query's lookup never does.
   */
  record PoolName(Zone zone, Name owner, Pool pool) implements LookupResult {}

  /**
   * A zone cut above or at the name (step 3b): the child's NS set, the node at the cut (its DS
   * or the proof that there is none), and the glue: in-domain first (all of it must fit or the
   * response says TC: RFC 9471 §3.1), then sibling glue.
   */
  record Delegation(Zone zone, Name cut, Node at, RRset ns, List<Extra> glue)
      implements LookupResult {}

  /** No such name and no wildcard at its closest encloser (step 3c; RFC 2308 §2.1). */
  record NxDomain(Zone zone, Name name) implements LookupResult {}

  /**
   * The name exists (possibly as an empty non-terminal or through a wildcard) without the type
   * (RFC 2308 §2.2).
   *
   * @param node the node whose types a signed denial lists (the wildcard's when synthesised)
   */
  record NoData(Zone zone, Name owner, Node node, int ecsScope) implements LookupResult {}

  /**
   * REFUSED: a class we do not serve, a zone transfer, an unconfigured CHAOS name, or (when
   * {@code outOfZone}) a name in none of our zones, which also gets EDE 20 (RFC 8914 §4.21).
   */
  record Refused(boolean outOfZone) implements LookupResult {}

  /** A meta-type asked as a question (OPT, TSIG, TKEY; RFC 6895 §3.1): FORMERR. */
  record MetaType() implements LookupResult {}

  /** A configured CHAOS-class identification string. */
  record Chaos(Record txt) implements LookupResult {}
}
