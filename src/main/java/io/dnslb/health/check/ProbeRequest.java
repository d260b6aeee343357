package io.dnslb.health.check;

import io.dnslb.health.CheckSpec;

/**
 * Everything one probe needs, resolved by the prober: the address to probe (the spec's
 * {@code address} or the member's own), the Host/SNI name (the spec's {@code host} or the
 * caller's default) and the pool, for exec probes' environment.
 */
public record ProbeRequest(String pool, String address, String host, CheckSpec spec) {
  public long timeoutMillis() {
    return spec.timeout().toMillis();
  }
}
