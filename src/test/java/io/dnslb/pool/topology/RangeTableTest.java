package io.dnslb.pool.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Longest-prefix match and scope against the slow reference model, on random nested networks. */
class RangeTableTest {
  @Test
  void randomNestedNetworksMatchTheReferenceModelInBothFamilies() {
    Random random = new Random(7);
    for (int round = 0; round < 44; round++) {
      // The last rounds are big enough (300) for the table's /16 directory to be used.
      int count = round < 40 ? 30 : 300;
      boolean v6 = round % 2 == 1;
      int bits = v6 ? 128 : 32;
      List<TopologyReference.Net> nets = new ArrayList<>();
      List<RangeTable.Network> table = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      // Networks clustered in a small part of the space, so that many nest.
      for (int i = 0; i < count; i++) {
        int prefix = 1 + random.nextInt(bits == 32 ? 32 : 128);
        byte[] b = new byte[bits / 8];
        random.nextBytes(b);
        b[0] = (byte) (round * 3);
        BigInteger host = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
        BigInteger start = new BigInteger(1, b).andNot(host);
        if (!seen.add(start + "/" + prefix)) {
          continue;
        }
        String region = "r" + (i % 5);
        nets.add(new TopologyReference.Net(v6, start, prefix, region));
        byte[] sb = TopologyReference.address(start, v6).getAddress();
        table.add(new RangeTable.Network(RangeTable.hi(sb), RangeTable.lo(sb, v6 ? 2 : 1), prefix,
            i % 5));
      }
      RangeTable t = RangeTable.of(bits, table);
      TopologyReference ref = new TopologyReference(nets, List.of());
      List<InetAddress> clients = new ArrayList<>();
      for (TopologyReference.Net n : nets) {
        clients.add(n.sample(random));
      }
      for (int i = 0; i < 20; i++) {
        byte[] b = new byte[bits / 8];
        random.nextBytes(b);
        b[0] = (byte) (round * 3 + random.nextInt(2));
        clients.add(TopologyReference.address(new BigInteger(1, b), v6));
      }
      for (InetAddress c : clients) {
        byte[] a = c.getAddress();
        int got = t.lookup(RangeTable.hi(a), RangeTable.lo(a, c instanceof Inet4Address ? 1 : 2));
        TopologyReference.Expected want = ref.expect(c, "none");
        String gotRegion = RangeTable.value(got) < 0 ? "none" : "r" + RangeTable.value(got);
        assertEquals(want, new TopologyReference.Expected(gotRegion, RangeTable.prefix(got)),
            () -> c.getHostAddress() + " in " + nets);
      }
    }
  }

  @Test
  void aNetworkCoveringEverythingAndTheEdgesOfTheSpace() {
    RangeTable t = RangeTable.of(32, List.of(
        new RangeTable.Network(0, 0, 0, 0),
        new RangeTable.Network(0xFFFFFFFFL << 32, 0, 32, 1),
        new RangeTable.Network(0, 0, 32, 2)));
    assertEquals(RangeTable.pack(1, 32), t.lookup(0xFFFFFFFFL << 32, 0));
    assertEquals(RangeTable.pack(2, 32), t.lookup(0, 0));
    assertEquals(RangeTable.pack(0, 2), t.lookup(0x40000000L << 32, 0)); // clear of both edges
    assertEquals(RangeTable.pack(-1, 0), RangeTable.empty(128).lookup(5, 5));
  }
}
