package io.dnslb.wire;

/**
 * Who asked, as far as answer selection may care: the EDNS Client Subnet source (RFC 7871) when
 * the query carried one, else the transport's source address with a full-length prefix.
 *
 * @param family 1 = IPv4, 2 = IPv6 (the ECS family numbers)
 * @param address the address bytes (4 or 16), not yet cut to any prefix
 * @param sourcePrefix significant bits the client declared (32/128 for a transport address)
 * @param fromEcs true when the value came from an ECS option that must be echoed
 */
public record ClientSubnet(int family, byte[] address, int sourcePrefix, boolean fromEcs) {}
