package io.dnslb.pool.topology;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A slow, obvious model of region lookup for tests, independent of {@link RangeTable}: networks
 * as BigInteger ranges, longest prefix by scanning all of them, the ECS scope as the shortest
 * prefix (from the decider's own) whose block meets no more specific network.
 */
public final class TopologyReference {
  /** A network with the region it stands for (a name, or null for "matched, no rule"). */
  public record Net(boolean v6, BigInteger start, int prefix, String region) {
    BigInteger end() {
      return start.add(BigInteger.ONE.shiftLeft((v6 ? 128 : 32) - prefix)).subtract(BigInteger.ONE);
    }

    boolean contains(BigInteger a) {
      return a.compareTo(start) >= 0 && a.compareTo(end()) <= 0;
    }

    boolean meets(BigInteger lo, BigInteger hi) {
      return start.compareTo(hi) <= 0 && end().compareTo(lo) >= 0;
    }

    /** An address inside, chosen by the random source (the first and last are likely too). */
    public InetAddress sample(Random random) {
      int hostBits = (v6 ? 128 : 32) - prefix;
      BigInteger offset;
      int pick = random.nextInt(4);
      if (hostBits == 0 || pick == 0) {
        offset = BigInteger.ZERO;
      } else if (pick == 1) {
        offset = BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE);
      } else {
        offset = new BigInteger(hostBits, random);
      }
      return address(start.add(offset), v6);
    }
  }

  /** What the model expects for one client: the region name and the ECS scope. */
  public record Expected(String region, int scope) {}

  private final List<Net> networksFile;
  private final List<Net> database;

  public TopologyReference(List<Net> networksFile, List<Net> database) {
    this.networksFile = networksFile;
    this.database = database;
  }

  public static Net net(String cidr, String region) {
    String[] p = cidr.split("/");
    InetAddress a = parse(p[0]);
    boolean v6 = !(a instanceof Inet4Address);
    int prefix = Integer.parseInt(p[1]);
    // MaxMind's JSON has networks with host bits set (::74.209.24.0/116); the tree masks them.
    BigInteger host = BigInteger.ONE.shiftLeft((v6 ? 128 : 32) - prefix).subtract(BigInteger.ONE);
    BigInteger start = new BigInteger(1, a.getAddress()).andNot(host);
    return new Net(v6, start, prefix, region);
  }

  /**
   * The MaxMind test JSON's networks ({@code ::a.b.c.d/N} entries are IPv4 in an IPv6 tree),
   * each with the region its country/continent gets under the given rules, or null.
   */
  public static List<Net> fromJson(List<Map<String, Map<String, Object>>> json,
      Map<String, String> countries, Map<String, String> continents) {
    List<Net> out = new ArrayList<>();
    for (Map<String, Map<String, Object>> entry : json) {
      for (Map.Entry<String, Map<String, Object>> e : entry.entrySet()) {
        String cidr = e.getKey();
        String region = region(e.getValue(), countries, continents);
        if (cidr.startsWith("::") && cidr.contains(".")) {
          String[] p = cidr.substring(2).split("/");
          out.add(net(p[0] + "/" + (Integer.parseInt(p[1]) - 96), region));
        } else {
          out.add(net(cidr, region));
        }
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static String region(Map<String, Object> record, Map<String, String> countries,
      Map<String, String> continents) {
    Map<String, Object> country = (Map<String, Object>) record.get("country");
    if (country == null) {
      country = (Map<String, Object>) record.get("registered_country");
    }
    if (country != null && countries.containsKey((String) country.get("iso_code"))) {
      return countries.get((String) country.get("iso_code"));
    }
    Map<String, Object> continent = (Map<String, Object>) record.get("continent");
    if (continent != null && continents.containsKey((String) continent.get("code"))) {
      return continents.get((String) continent.get("code"));
    }
    return null;
  }

  public Expected expect(InetAddress client, String defaultRegion) {
    boolean v6 = !(client instanceof Inet4Address);
    BigInteger a = new BigInteger(1, client.getAddress());
    Net own = longest(networksFile, v6, a);
    if (own != null) {
      return new Expected(own.region(), scope(a, v6, own.prefix(), networksFile, own.prefix()));
    }
    Net db = longest(database, v6, a);
    List<Net> all = new ArrayList<>(networksFile);
    all.addAll(database);
    if (db != null) {
      // The database's own record network, clear of networks-file entries too.
      int scope = Math.max(scope(a, v6, db.prefix(), database, db.prefix()),
          scope(a, v6, 0, networksFile, -1));
      return new Expected(db.region() == null ? defaultRegion : db.region(), scope);
    }
    return new Expected(defaultRegion, scope(a, v6, 0, all, -1));
  }

  private static Net longest(List<Net> nets, boolean v6, BigInteger a) {
    Net best = null;
    for (Net n : nets) {
      if (n.v6() == v6 && n.contains(a) && (best == null || n.prefix() > best.prefix())) {
        best = n;
      }
    }
    return best;
  }

  /** Shortest p >= from whose block around a meets no network longer than {@code than}. */
  private static int scope(BigInteger a, boolean v6, int from, List<Net> nets, int than) {
    int bits = v6 ? 128 : 32;
    for (int p = from; p < bits; p++) {
      BigInteger size = BigInteger.ONE.shiftLeft(bits - p);
      BigInteger lo = a.subtract(a.mod(size));
      BigInteger hi = lo.add(size).subtract(BigInteger.ONE);
      boolean clear = true;
      for (Net n : nets) {
        if (n.v6() == v6 && n.prefix() > than && n.meets(lo, hi) && !(n.prefix() <= p)) {
          clear = false;
          break;
        }
      }
      if (clear) {
        return p;
      }
    }
    return bits;
  }

  static InetAddress address(BigInteger value, boolean v6) {
    byte[] raw = value.toByteArray();
    byte[] b = new byte[v6 ? 16 : 4];
    int copy = Math.min(raw.length, b.length);
    System.arraycopy(raw, raw.length - copy, b, b.length - copy, copy);
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  static InetAddress parse(String literal) {
    try {
      return InetAddress.getByName(literal); // literals only: never resolves
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
