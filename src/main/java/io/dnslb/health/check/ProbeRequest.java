package io.dnslb.health.check;

import io.dnslb.health.CheckSpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Everything one probe needs, resolved by the prober: the address to probe (the spec's
 * {@code address} or the member's own), the Host/SNI name (the spec's {@code host} or the
 * caller's default) and the pool, for exec probes' environment. Built once per target and reload,
 * not per probe.
 *
 * @param endpoint the address and the spec's port, parsed once (the address is an IP literal)
 */
public record ProbeRequest(String pool, String address, String host, CheckSpec spec,
    InetSocketAddress endpoint) {

  /** A request whose endpoint is {@code address} (an IP literal) at the spec's port. */
  public static ProbeRequest of(String pool, String address, String host, CheckSpec spec) {
    InetSocketAddress endpoint;
    try { // a literal: parsed, never looked up
      endpoint = new InetSocketAddress(InetAddress.getByName(address), spec.port());
    } catch (UnknownHostException | IllegalArgumentException e) {
      endpoint = InetSocketAddress.createUnresolved(address, Math.max(0, spec.port()));
    }
    return new ProbeRequest(pool, address, host, spec, endpoint);
  }

  public long timeoutMillis() {
    return spec.timeout().toMillis();
  }
}
