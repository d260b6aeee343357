package io.dnslb.pool.e2e;

import static io.dnslb.testing.Answers.addresses;
import static io.dnslb.testing.PoolServer.echoedEcs;
import static io.dnslb.testing.PoolServer.ecsQuery;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.pool.topology.TestDatabases;
import io.dnslb.testing.Answers;
import io.dnslb.testing.PoolServer;
import io.dnslb.pool.topology.TopologyReference;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Topology over UDP with ECS: a corpus of clients from every region of a networks file and of
 * MaxMind's test database lands on the region's pool, with the matched prefix as ECS scope; a
 * region fails over to its next site when its first one stops serving.
 */
class TopologyE2ETest {
  /** Each site pool's one address: the answer tells which pool served. */
  static final Map<String, String> SITES = new LinkedHashMap<>();

  static {
    SITES.put("eu-web", "192.0.2.10");
    SITES.put("gb-web", "192.0.2.20");
    SITES.put("us-web", "192.0.2.30");
    SITES.put("as-web", "192.0.2.40");
    SITES.put("office-web", "192.0.2.50");
    SITES.put("def-web", "192.0.2.60");
  }

  /** Each region's first pool (its fallback is tested separately). */
  static final Map<String, String> FIRST = Map.of("eu", "eu-web", "gb", "gb-web",
      "us", "us-web", "asia", "as-web", "office", "office-web", "default", "def-web");

  static final String NETS = """
      # networks of our own; the longest prefix wins, and an entry here wins over the database
      10.0.0.0/8        office
      10.1.0.0/16       eu
      10.1.2.0/24       office
      192.168.0.0/16    us     # the lab
      172.16.0.0/12     asia
      2001:db8::/32     office
      2001:db8:1::/48   asia
      2001:db8:1:2::/64 gb
      81.2.69.160/27    office # a GB network in the database: ours wins
      89.160.20.128/26  eu     # inside a database network: splits it
      """;

  static final String POOLS_TEMPLATE = """
      pools {
      %s
        web {
          names = ["www.pool.test."]
          policy = topology
          topology {
            networks = "nets.conf"
            geoip = "GeoIP2-Country-Test.mmdb"
            regions {
              eu      { match = ["continent:EU"], pools = [eu-web, us-web] }
              gb      { match = ["country:GB"], pools = [gb-web, eu-web] }
              us      { match = ["continent:NA", "country:BR"], pools = [us-web, eu-web] }
              asia    { match = ["continent:AS"], pools = [as-web, us-web] }
              office  { pools = [office-web, eu-web] }
              default { pools = [def-web, us-web] }
            }
          }
          members = [%s]
        }
        strict {
          names = ["strict.pool.test."]
          policy = topology
          when-all-down = servfail
          topology { regions { default { pools = [def-web] } } }
          members = [{ pool = "def-web" }]
        }
      }
      """;

  static String pools() {
    StringBuilder sites = new StringBuilder();
    StringBuilder members = new StringBuilder();
    for (Map.Entry<String, String> e : SITES.entrySet()) {
      sites.append("  ").append(e.getKey()).append(" { members = [ { address = \"")
          .append(e.getValue()).append("\" } ] }\n");
      members.append(members.length() == 0 ? "" : ",").append(" { pool = \"").append(e.getKey()).append("\" }");
    }
    return POOLS_TEMPLATE.formatted(sites, members);
  }

  @RegisterExtension
  static final PoolServer lb = PoolServer.withPools(pools()).file("nets.conf", NETS)
      .setUp(dir -> TestDatabases.copy(TestDatabases.COUNTRY, dir))
      .set("http.listen", "127.0.0.1:0").upAfterEach();

  /** The reference model over the same networks file and the database's JSON source. */
  static TopologyReference reference() {
    List<TopologyReference.Net> own = new ArrayList<>();
    for (String line : NETS.lines().toList()) {
      String[] w = line.replaceAll("#.*", "").trim().split("\\s+");
      if (w.length == 2) {
        own.add(TopologyReference.net(w[0], w[1]));
      }
    }
    List<TopologyReference.Net> db = TopologyReference.fromJson(TestDatabases.countryJson(),
        Map.of("GB", "gb", "BR", "us"), Map.of("EU", "eu", "NA", "us", "AS", "asia"));
    return new TopologyReference(own, db);
  }

  /**
   * At least 500 clients: samples of every network in the file and the database (IPv4 and
   * IPv6), plus addresses outside them all.
   */
  static List<InetAddress> corpus() throws Exception {
    TopologyReference ref = reference();
    Random random = new Random(15);
    List<InetAddress> out = new ArrayList<>();
    List<TopologyReference.Net> all = new ArrayList<>();
    for (String line : NETS.lines().toList()) {
      String[] w = line.replaceAll("#.*", "").trim().split("\\s+");
      if (w.length == 2) {
        all.add(TopologyReference.net(w[0], w[1]));
      }
    }
    all.addAll(TopologyReference.fromJson(TestDatabases.countryJson(), Map.of(), Map.of()));
    for (TopologyReference.Net n : all) {
      out.add(n.sample(random));
      out.add(n.sample(random));
    }
    for (String outside : List.of("198.51.100.7", "203.0.113.200", "1.1.1.1", "8.8.8.8",
        "2001:db9::1", "2a00:1450::1", "fd00::1", "100.64.0.1")) {
      out.add(InetAddress.getByName(outside));
    }
    assertTrue(ref != null);
    return out;
  }

  @Test
  void everyClientOfTheCorpusLandsOnItsRegionsPoolWithTheMatchedPrefixAsScope() throws Exception {
    TopologyReference ref = reference();
    List<InetAddress> corpus = corpus();
    Map<String, Integer> perRegion = new TreeMap<>();
    int v4 = 0;
    List<String> wrong = new ArrayList<>();
    for (InetAddress client : corpus) {
      boolean ipv4 = client instanceof Inet4Address;
      v4 += ipv4 ? 1 : 0;
      TopologyReference.Expected want = ref.expect(client, "default");
      perRegion.merge(want.region(), 1, Integer::sum);
      Message reply = lb.udp(ecsQuery("www.pool.test.", Type.A, client.getHostAddress(),
          ipv4 ? 32 : 128));
      String got = addresses(reply).isEmpty() ? "(none)" : addresses(reply).get(0);
      ClientSubnetOption ecs = echoedEcs(reply);
      String expectedAddress = SITES.get(FIRST.get(want.region()));
      if (!got.equals(expectedAddress) || ecs == null || ecs.getScopePrefixLength() != want.scope()) {
        wrong.add(client.getHostAddress() + ": want " + want + " (" + expectedAddress + "), got "
            + got + " scope " + (ecs == null ? "none" : ecs.getScopePrefixLength()));
      }
    }
    System.out.println("[topology] corpus " + corpus.size() + " clients (" + v4 + " IPv4), by "
        + "region " + perRegion);
    assertTrue(corpus.size() >= 500, "corpus too small: " + corpus.size());
    assertTrue(v4 >= 50 && corpus.size() - v4 >= 50, "both families: " + v4);
    assertEquals(FIRST.keySet(), perRegion.keySet(), "every region is in the corpus");
    assertEquals(List.of(), wrong, wrong.size() + " of " + corpus.size() + " wrong");
  }

  @Test
  void aSlash24SubnetIsAnsweredForItsNetworkAndWithoutEcsNoOptionComesBack() throws Exception {
    // As dig +subnet=10.1.2.0/24 sends it: the office /24 inside the eu /16 inside office /8.
    Message reply = lb.udp(ecsQuery("www.pool.test.", Type.A, "10.1.2.0", 24));
    assertEquals(List.of(SITES.get("office-web")), addresses(reply));
    assertEquals(24, echoedEcs(reply).getScopePrefixLength());
    Message eu = lb.udp(ecsQuery("www.pool.test.", Type.A, "10.1.77.0", 24));
    assertEquals(List.of(SITES.get("eu-web")), addresses(eu));
    // The eu /16 decided, but the office /24 sits inside it: the answer holds for the /18
    // around the client, which the office /24 is not part of, so no cache hands it to office.
    assertEquals(18, echoedEcs(eu).getScopePrefixLength());
    // No ECS: the source address (127.0.0.1, in no network) decides, and no option is added.
    Message plain = lb.udp(io.dnslb.testing.DnsClient.edns(
        io.dnslb.testing.DnsClient.query("www.pool.test.", Type.A), 1232, 0));
    assertEquals(List.of(SITES.get("def-web")), addresses(plain));
    assertNull(echoedEcs(plain));
    // And over the fast path (no OPT at all), the same source address decides.
    assertEquals(List.of(SITES.get("def-web")), addresses(lb.udp("www.pool.test.", Type.A)));
  }

  @Test
  void aRegionWhoseFirstSiteStopsServingMovesToItsNextAndBack() throws Exception {
    String gbClient = "81.2.69.142"; // GB in the database
    assertEquals(SITES.get("gb-web"), first(gbClient));
    assertRegion("gb", "[\"gb-web\",\"eu-web\"]", "gb-web");
    lb.health("gb-web", SITES.get("gb-web"), false);
    assertEquals(SITES.get("eu-web"), first(gbClient));
    // /status says where each region goes now; /metrics counts answers by region.
    assertRegion("gb", "[\"gb-web\",\"eu-web\"]", "eu-web");
    assertRegion("office", "[\"office-web\",\"eu-web\"]", "office-web");
    String metrics = lb.http("/metrics");
    assertTrue(metrics.lines().anyMatch(l -> l.matches(
        "dnslb_region_answers_total\\{pool=\"web\",region=\"gb\"\\} [1-9][0-9]*")), metrics);
    // Other regions are not moved.
    assertEquals(SITES.get("office-web"), first("10.9.9.9"));
    lb.health("eu-web", SITES.get("eu-web"), false);
    // Both of gb's sites down: when-all-down = fail-open answers from its first site.
    assertEquals(SITES.get("gb-web"), first(gbClient));
    lb.health("gb-web", SITES.get("gb-web"), true);
    assertEquals(SITES.get("gb-web"), first(gbClient));
  }

  @Test
  void aRegionWithNothingServingInAServfailPoolIsServfailInAnswersAndStatus() throws Exception {
    assertEquals(List.of(SITES.get("def-web")), addresses(lb.udp("strict.pool.test.", Type.A)));
    assertRegion("default", "[\"def-web\"]", "def-web");
    lb.health("def-web", SITES.get("def-web"), false);
    assertEquals(Rcode.SERVFAIL, lb.udp("strict.pool.test.", Type.A).getRcode());
    assertRegion("default", "[\"def-web\"]", "servfail");
  }

  /** The /status entry of a region (name, its pool list, what serves it) is there. */
  static void assertRegion(String name, String pools, String serving) throws Exception {
    String status = lb.http("/status");
    String entry = "{\"name\":\"" + name + "\",\"pools\":" + pools + ",\"serving\":\""
        + serving + "\"}";
    assertTrue(status.contains(entry), entry + " not in " + status);
  }

  static String first(String client) throws Exception {
    Message reply = lb.udp(ecsQuery("www.pool.test.", Type.A, client, 32));
    assertEquals(Rcode.NOERROR, reply.getRcode());
    return Answers.first(reply);
  }
}
