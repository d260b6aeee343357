package io.dnslb.transport;

import java.time.Duration;

/**
 * What one TCP client may hold (RFC 7766 §6.2): connections, in total and per client address,
 * and time, idle and for one partly received query.
 *
 * @param idleTimeout a connection without a complete query for this long is closed
 * @param readTimeout a query whose first bytes arrived this long ago and is still incomplete
 *     closes its connection (slowloris)
 * @param maxConnections concurrent connections, all clients together
 * @param maxPerClient concurrent connections from one client address
 */
public record TcpLimits(
    Duration idleTimeout, Duration readTimeout, int maxConnections, int maxPerClient) {}
