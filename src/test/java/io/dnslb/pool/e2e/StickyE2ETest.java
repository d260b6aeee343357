package io.dnslb.pool.e2e;

import static io.dnslb.testing.Answers.addresses;
import static io.dnslb.testing.PoolServer.echoedEcs;
import static io.dnslb.testing.PoolServer.ecsQuery;
import static io.dnslb.testing.Answers.first;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.PoolServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Sticky over UDP with ECS (RFC 7871): stable per subnet, minimal movement, scope echoed. */
class StickyE2ETest {
  static final List<String> MEMBERS =
      List.of("192.0.2.10", "192.0.2.11", "192.0.2.12", "192.0.2.13", "192.0.2.14");
  static final String NAME = "s.pool.test.";

  @RegisterExtension
  static final PoolServer lb = PoolServer.withPools("""
      pools {
        s {
          names = ["s.pool.test."]
          policy = sticky
          members = [
            { address = "192.0.2.10" }
            { address = "192.0.2.11" }
            { address = "192.0.2.12" }
            { address = "192.0.2.13" }
            { address = "192.0.2.14" }
          ]
        }
        s6 {
          names = ["s6.pool.test."]
          policy = sticky
          members = [
            { address = "2001:db8::10" }
            { address = "2001:db8::11" }
            { address = "2001:db8::12" }
          ]
        }
        w {
          names = ["w.pool.test."]
          policy = weighted
          members = [
            { address = "192.0.2.20" }
            { address = "192.0.2.21" }
          ]
        }
      }
      """).upAfterEach();

  /** 512 different /24s: 10.0.0.0/24 .. 10.1.255.0/24. */
  static String subnet(int i) {
    return "10." + (i >> 8) + "." + (i & 255) + ".0";
  }

  /** Member chosen for each /24, asking with the given host byte inside it (ECS /32 or /24). */
  static Map<String, String> assignment(int host, int sourcePrefix) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < 512; i++) {
      String net = subnet(i);
      String address = net.substring(0, net.length() - 1) + host;
      Message m = lb.udp(ecsQuery(NAME, Type.A, address, sourcePrefix));
      List<String> answer = addresses(m);
      assertEquals(1, answer.size(), "sticky answers one member by default: " + answer);
      out.put(net, answer.get(0));
    }
    return out;
  }

  @Test
  void eachSubnetKeepsItsMember() throws Exception {
    Map<String, String> first = assignment(0, 24);
    assertEquals(first, assignment(0, 24), "a repeat of the same queries");
    // Any address inside the /24, even sent as a /32, maps as its /24 does.
    assertEquals(first, assignment(77, 32), "other hosts of the same /24s");
    // Spread: with 512 subnets over 5 equal members each has roughly 102.
    Map<String, Integer> perMember = new HashMap<>();
    first.values().forEach(v -> perMember.merge(v, 1, Integer::sum));
    assertEquals(MEMBERS.size(), perMember.size(), perMember.toString());
    perMember.forEach((member, n) -> assertTrue(n > 60 && n < 150, member + " has " + n));
  }

  @Test
  void onlyTheDownMembersClientsMoveAndTheyComeBack() throws Exception {
    Map<String, String> before = assignment(0, 24);
    lb.health("s", "192.0.2.12", false);
    Map<String, String> during = assignment(0, 24);
    int moved = 0;
    for (String net : before.keySet()) {
      if (before.get(net).equals("192.0.2.12")) {
        assertNotEquals("192.0.2.12", during.get(net), net);
        moved++;
      } else {
        assertEquals(before.get(net), during.get(net), net + " moved though its member is up");
      }
    }
    assertTrue(moved > 0, "no subnet was on the member taken down");
    lb.health("s", "192.0.2.12", true);
    assertEquals(before, assignment(0, 24), "subnets return when the member does");
  }

  @Test
  void echoesEcsWithScope24ForIpv4() throws Exception {
    Message m = lb.udp(ecsQuery(NAME, Type.A, "10.9.8.0", 24));
    assertEquals(Rcode.NOERROR, m.getRcode());
    ClientSubnetOption ecs = echoedEcs(m);
    assertNotNull(ecs, "ECS not echoed");
    assertEquals(1, ecs.getFamily());
    assertEquals(24, ecs.getSourcePrefixLength());
    assertEquals(24, ecs.getScopePrefixLength());
    assertEquals(InetAddress.getByName("10.9.8.0"), ecs.getAddress());
  }

  @Test
  void echoesEcsWithScope56ForIpv6() throws Exception {
    Message m = lb.udp(ecsQuery("s6.pool.test.", Type.AAAA, "2001:db8:aa:bb00::", 56));
    assertEquals(1, addresses(m).size(), m.toString());
    ClientSubnetOption ecs = echoedEcs(m);
    assertNotNull(ecs, "ECS not echoed");
    assertEquals(2, ecs.getFamily());
    assertEquals(56, ecs.getSourcePrefixLength());
    assertEquals(56, ecs.getScopePrefixLength());
    // Stable per /56 too: another address in the same /56 gets the same member.
    String member = first(m);
    for (int i = 0; i < 20; i++) {
      assertEquals(member, first(lb.udp(ecsQuery("s6.pool.test.", Type.AAAA,
          "2001:db8:aa:bb" + String.format("%02x", i) + "::", 64))));
    }
  }

  @Test
  void ipv6SubnetsSpreadAndStayPut() throws Exception {
    Map<String, String> first = new HashMap<>();
    for (int i = 0; i < 200; i++) {
      String net = "2001:db8:" + Integer.toHexString(i) + "::";
      first.put(net, first(lb.udp(ecsQuery("s6.pool.test.", Type.AAAA, net, 56))));
    }
    for (Map.Entry<String, String> e : first.entrySet()) {
      assertEquals(e.getValue(),
          first(lb.udp(ecsQuery("s6.pool.test.", Type.AAAA, e.getKey(), 56))), e.getKey());
    }
    assertEquals(3, new java.util.HashSet<>(first.values()).size(), first.values().toString());
  }

  @Test
  void nonStickyPoolsEchoScopeZero() throws Exception {
    Message m = lb.udp(ecsQuery("w.pool.test.", Type.A, "10.9.8.0", 24));
    assertEquals(1, addresses(m).size());
    ClientSubnetOption ecs = echoedEcs(m);
    assertNotNull(ecs, "ECS not echoed");
    assertEquals(24, ecs.getSourcePrefixLength());
    assertEquals(0, ecs.getScopePrefixLength());
  }

  @Test
  void withoutEcsTheSourceAddressDecidesStably() throws Exception {
    String member = first(lb.udp(NAME, Type.A));
    for (int q = 0; q < 50; q++) {
      Message m = lb.udp(NAME, Type.A);
      assertEquals(member, first(m), "query " + q);
    }
    // A fresh socket (another source port) on 127.0.0.1 gets the same member.
    for (int q = 0; q < 5; q++) {
      assertEquals(member, first(lb.client().udp(NAME, Type.A)));
    }
    // And 127.0.0.1 keys as 127.0.0.0/24 would in ECS.
    assertEquals(member, first(lb.udp(ecsQuery(NAME, Type.A, "127.0.0.0", 24))));
  }
}
