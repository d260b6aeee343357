package io.dnslb.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Caps concurrent TCP connections across all listeners, and per client network: at either cap
 * the idlest connection (the one whose last query is oldest) is closed to admit the new one, as
 * gdnsd does. Refusing the new one instead would let a resolver or NAT holding idle connections,
 * or anyone holding the global cap with a trickle of queries, shut everyone else out of TCP,
 * including the retry after a truncated UDP answer.
 *
 * <p>A client is its /24 (IPv4) or /56 (IPv6), as in RRL: one host owns a whole IPv6 /64, so
 * counting full addresses would give it millions of "clients".
 *
 * <p>Admission takes a lock; it runs once per connection, never per query. Queries only stamp
 * their connection's {@link Activity}.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  static final int IPV4_PREFIX = 24;
  static final int IPV6_PREFIX = 56;
  static final AttributeKey<Activity> ACTIVITY = AttributeKey.valueOf("dnslb.tcp.activity");

  /** When a connection last completed a query (or opened); written by its event loop. */
  static final class Activity {
    private volatile long lastNanos = System.nanoTime();

    void touch() {
      lastNanos = System.nanoTime();
    }
  }

  private final int max;
  private final int maxPerClient;
  /** Open connections in admission order, so the scan for the idlest starts at the oldest. */
  private final Set<Channel> all = new LinkedHashSet<>();
  private final Map<Long, Set<Channel>> perClient = new HashMap<>();
  private long evicted;

  ConnectionLimiter(int max, int maxPerClient) {
    this.max = max;
    this.maxPerClient = maxPerClient;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    Channel ch = ctx.channel();
    InetAddress client = ((InetSocketAddress) ch.remoteAddress()).getAddress();
    long key = clientKey(client);
    admit(ch, key);
    ch.closeFuture().addListener(f -> release(ch, key));
    super.channelActive(ctx);
  }

  private synchronized void admit(Channel ch, long key) {
    Set<Channel> mine = perClient.computeIfAbsent(key, k -> new LinkedHashSet<>());
    if (mine.size() >= maxPerClient) {
      evict(idlest(mine), key);
    }
    if (all.size() >= max) {
      Channel idlest = idlest(all);
      evict(idlest, clientKey(((InetSocketAddress) idlest.remoteAddress()).getAddress()));
    }
    mine.add(ch);
    all.add(ch);
  }

  /** Forgets the connection at once (its close completes later, on its own loop). */
  private void evict(Channel ch, long key) {
    evicted++;
    forget(ch, key);
    ch.close();
  }

  private synchronized void release(Channel ch, long key) {
    forget(ch, key);
  }

  private void forget(Channel ch, long key) {
    all.remove(ch);
    Set<Channel> set = perClient.get(key);
    if (set != null && set.remove(ch) && set.isEmpty()) {
      perClient.remove(key);
    }
  }

  /** The connection whose last query is oldest (the first admitted among equals). */
  private static Channel idlest(Set<Channel> channels) {
    Channel idlest = null;
    long oldest = 0;
    for (Channel ch : channels) {
      Activity a = ch.attr(ACTIVITY).get();
      if (a == null) {
        return ch; // not set up yet: nothing to lose
      }
      long last = a.lastNanos;
      if (idlest == null || last - oldest < 0) {
        idlest = ch;
        oldest = last;
      }
    }
    return idlest;
  }

  /** The client's network: /24 or /56, tagged so the two families never collide. */
  static long clientKey(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return 1L << 62 | (b[0] & 0xffL) << 16 | (b[1] & 0xffL) << 8 | (b[2] & 0xffL);
    }
    long key = 0;
    for (int i = 0; i < IPV6_PREFIX / 8; i++) {
      key = key << 8 | (b[i] & 0xffL);
    }
    return key; // 56 bits: bit 62 is never set
  }

  synchronized int open() {
    return all.size();
  }

  /** Connections closed to make room for new ones, since start. */
  synchronized long evicted() {
    return evicted;
  }
}
