package io.dnslb.cluster;

import io.dnslb.time.Ticker;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Folds the verdicts on each member into the fleet's decision, and tells the listener when that
 * decision changes. Without a cluster this server is the only voter, so the fleet state is its
 * own verdict. In a cluster the voters are the live servers (those whose lease etcd holds, this
 * one included) that have a verdict on the member; the member is down when at least
 * {@link DownQuorum#needed} of them see it down. A server that has not probed a member yet does
 * not vote, so a new server takes the fleet's state until its own first verdict.
 *
 * <p>All methods are called off the query path (prober threads, the etcd watch thread, the
 * admin API) and are synchronized; the listener runs under the lock, so it must not block.
 */
public final class FleetHealth {
  /** One server's view of one member. */
  public record Verdict(boolean up, String reason, Instant at) {
    /** As JSON fields, the same in etcd and in the admin API: state (up/down), reason, at. */
    public Map<String, Object> fields() {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("state", up ? "up" : "down");
      m.put("reason", reason);
      m.put("at", at.toString());
      return m;
    }
  }

  /** Told when the fleet's decision on a member changes (or is first made). */
  @FunctionalInterface
  public interface Listener {
    void onFleetChange(String pool, String address, boolean up);
  }

  /** Publishes this server's verdicts where the others can see them (etcd), or nowhere. */
  interface Publisher {
    void publish(String pool, String address, Verdict v);
  }

  private final String self;
  private final DownQuorum quorum;
  /** Stamps this server's verdicts (the time shown beside them); the server's time source. */
  private final Ticker ticker;
  private final Map<String, Verdict> own = new ConcurrentHashMap<>();
  /** server → member → verdict, for the other servers. */
  private final Map<String, Map<String, Verdict>> peers = new HashMap<>();
  private final Map<String, Boolean> decided = new ConcurrentHashMap<>();
  private Set<String> live = Set.of();
  /** False once etcd has been unreachable for a lease TTL: then only our own probes count. */
  private boolean peersTrusted;
  private Listener listener = (p, a, up) -> {};
  private Publisher publisher = (p, a, v) -> {};

  public FleetHealth(String self, DownQuorum quorum, Ticker ticker) {
    this.self = self;
    this.quorum = quorum;
    this.ticker = ticker;
  }

  public String self() {
    return self;
  }

  public synchronized void listener(Listener l) {
    this.listener = l;
  }

  synchronized void publisher(Publisher p) {
    this.publisher = p;
  }

  /** This server's probe verdict on a member changed. */
  public synchronized void own(String pool, String address, boolean up, String reason) {
    Verdict v = new Verdict(up, reason, ticker.instant());
    own.put(id(pool, address), v);
    publisher.publish(pool, address, v);
    decide(id(pool, address));
  }

  /** This server's verdicts, to publish again after etcd comes back. */
  synchronized Map<String, Verdict> ownVerdicts() {
    return new HashMap<>(own);
  }

  /** A peer's verdict arrived (null: removed, its lease expired or the member went away). */
  synchronized void peer(String server, String pool, String address, Verdict v) {
    if (server.equals(self)) {
      return;
    }
    String id = id(pool, address);
    if (v == null) {
      Map<String, Verdict> m = peers.get(server);
      if (m != null) {
        m.remove(id);
      }
    } else {
      peers.computeIfAbsent(server, k -> new HashMap<>()).put(id, v);
    }
    decide(id);
  }

  /**
   * Replaces every peer verdict at once (a fresh read after (re)connecting).
   *
   * @param snapshot server → "pool address" → verdict
   */
  synchronized void peersSnapshotById(Map<String, Map<String, Verdict>> snapshot) {
    peers.clear();
    snapshot.forEach((server, m) -> {
      if (!server.equals(self)) {
        peers.put(server, new HashMap<>(m));
      }
    });
    decideAll();
  }

  /** The servers etcd currently holds a lease for; peers not in it do not vote. */
  synchronized void live(Set<String> servers, boolean trusted) {
    this.live = Set.copyOf(servers);
    this.peersTrusted = trusted;
    decideAll();
  }

  /** The servers that vote now (this one included). */
  public synchronized Set<String> liveServers() {
    java.util.TreeSet<String> s = new java.util.TreeSet<>(peersTrusted ? live : Set.of());
    s.add(self);
    return s;
  }

  /** The fleet's decision on a member: true up, false down, null nobody has a verdict yet. */
  public Boolean state(String pool, String address) {
    return decided.get(id(pool, address));
  }

  /** Every server's verdict on a member, this one's under its own name; sorted by server. */
  public synchronized Map<String, Verdict> verdicts(String pool, String address) {
    String id = id(pool, address);
    Map<String, Verdict> out = new TreeMap<>();
    peers.forEach((server, m) -> {
      Verdict v = m.get(id);
      if (v != null) {
        out.put(server, v);
      }
    });
    Verdict mine = own.get(id);
    if (mine != null) {
      out.put(self, mine);
    }
    return out;
  }

  private void decideAll() {
    Set<String> ids = new java.util.HashSet<>(own.keySet());
    peers.values().forEach(m -> ids.addAll(m.keySet()));
    ids.addAll(decided.keySet());
    ids.forEach(this::decide);
  }

  private void decide(String id) {
    int voters = 0;
    int down = 0;
    Verdict mine = own.get(id);
    if (mine != null) {
      voters++;
      down += mine.up() ? 0 : 1;
    }
    if (peersTrusted) {
      for (String server : live) {
        Map<String, Verdict> m = peers.get(server);
        Verdict v = m == null || server.equals(self) ? null : m.get(id);
        if (v != null) {
          voters++;
          down += v.up() ? 0 : 1;
        }
      }
    }
    if (voters == 0) {
      return; // keep the last decision: nobody who can vote has a verdict
    }
    boolean up = down < quorum.needed(voters);
    Boolean before = decided.put(id, up);
    if (before == null || before != up) {
      int sep = id.indexOf(' ');
      listener.onFleetChange(id.substring(0, sep), id.substring(sep + 1), up);
    }
  }

  private static String id(String pool, String address) {
    return pool + " " + address;
  }
}
