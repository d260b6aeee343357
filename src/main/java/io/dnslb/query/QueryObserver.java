package io.dnslb.query;

import io.dnslb.wire.Query;
import org.xbill.DNS.Message;

/** Told about every answered query, for metrics and the query log; must not block. */
public interface QueryObserver {
  /**
   * @param query the decoded query, or null for a reply made from the header alone
   * @param response the response message, or null for a header-only reply
   */
  void answered(boolean tcp, int qtype, int rcode, long nanos, Query query, Message response);

  /**
   * True when this observer needs the decoded query and response of every answer (a query
   * log): then every query takes the general path, which has them.
   */
  default boolean detailed() {
    return false;
  }

  /** A bug reached the top of the query path; the client got SERVFAIL or FORMERR. */
  void failed(RuntimeException e);

  QueryObserver NONE = new QueryObserver() {
    @Override
    public void answered(boolean tcp, int qtype, int rcode, long nanos, Query q, Message r) {}

    @Override
    public void failed(RuntimeException e) {}
  };
}
