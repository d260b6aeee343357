package io.dnslb.pool;

import io.dnslb.wire.ClientSubnet;
import org.xbill.DNS.Name;

/** A pool as the responder sees it: something that answers A/AAAA for its names. */
public interface Pool {
  String id();

  /**
   * Chooses the answer for one query. Must not block or lock; reads the current health once.
   *
   * @param qname the name as queried (records carry it as owner; case is the encoder's business)
   * @param qtype {@code Type.A} or {@code Type.AAAA}
   */
  PoolAnswer answer(Name qname, int qtype, ClientSubnet client);
}
