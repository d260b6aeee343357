package io.dnslb.observe.http;

/**
 * The runtime admin API behind {@code /v1/pools}, supplied by the app. Bodies are JSON; every
 * reply carries its HTTP status. Called on the HTTP event loop; writes may wait for the store
 * (the state file, or etcd with a bounded timeout).
 */
public interface AdminApi {
  /** An HTTP status and a JSON body. */
  record Reply(int status, String json) {}

  Reply pools();

  Reply pool(String pool);

  /** @param who the token's name or the client's address, for the audit log */
  Reply put(String pool, String address, String body, String who);

  Reply delete(String pool, String address, String who);
}
