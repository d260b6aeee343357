package io.dnslb.pool.policy;

import static io.dnslb.pool.policy.PolicyContract.assertSharesFollow;
import static io.dnslb.pool.policy.PolicyContract.candidate;
import static io.dnslb.pool.policy.PolicyContract.firstShares;
import static io.dnslb.pool.policy.PolicyContract.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import io.dnslb.config.ConfigError;
import io.dnslb.wire.ClientSubnet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StickyPolicyTest {
  private static final int SUBNETS = 10_000;
  private final StickyPolicy policy = new StickyPolicy(StickyPrefixes.DEFAULT);

  @Test
  void readsItsOwnBlockAndRefusesWhatItDoesNotKnow() {
    List<ConfigError> errors = new ArrayList<>();
    StickyPolicy read = (StickyPolicy) StickyPolicy.TYPE.read(options(
        "sticky { ipv4-prefix = 16 }", errors));
    assertEquals(List.of(), errors);
    assertEquals(new StickyPrefixes(16, 56), read.prefixes());
    assertEquals(StickyPrefixes.DEFAULT, ((StickyPolicy) StickyPolicy.TYPE.read(options("",
        errors))).prefixes());

    assertNull(StickyPolicy.TYPE.read(options("\nsticky {\n ipv4 = 16, ipv6-prefix = 129 }",
        errors)));
    assertEquals(2, errors.size(), errors.toString());
    assertEquals("t.pools.conf:3: unknown key 'ipv4' in pool web sticky (known: ipv4-prefix, "
        + "ipv6-prefix)", errors.get(0).getMessage());
    assertEquals("t.pools.conf:3: pool web: ipv6-prefix must be a whole number 1..128, not 129",
        errors.get(1).getMessage());
  }

  private static PolicyOptions options(String block, List<ConfigError> errors) {
    ConfigObject pool = ConfigFactory.parseString(block,
        ConfigParseOptions.defaults().setOriginDescription("t.pools.conf")).root();
    return new PolicyOptions("web", pool, true, Map.of(), Path.of("."), errors);
  }

  @Test
  void meetsThePolicyContract() {
    PolicyContract.assertContract(policy);
  }

  @Test
  void everyAddressOfASubnetGetsTheSameMemberEveryTime() {
    Selector s = policy.prepare(equalMembers(5));
    SplittableRandom random = new SplittableRandom(5);
    for (int subnet = 0; subnet < 2000; subnet++) {
      int first = pick(s, subnetClient(subnet, 1), random);
      for (int host = 2; host < 255; host += 37) {
        assertEquals(first, pick(s, subnetClient(subnet, host), random), "subnet " + subnet);
      }
    }
  }

  @Test
  void ipv6ClientsStickPerSlash56() {
    Selector s = policy.prepare(equalMembers(5));
    SplittableRandom random = new SplittableRandom(5);
    int moved = 0;
    for (int i = 0; i < 500; i++) {
      byte[] a = {0x20, 0x01, 0x0d, (byte) 0xb8, (byte) (i >> 8), (byte) i, 0x10, 0, 0, 0, 0, 0,
          0, 0, 0, 1};
      byte[] sameSlash56 = a.clone();
      sameSlash56[7] = (byte) 0xff;
      sameSlash56[15] = 0x77;
      byte[] otherSlash56 = a.clone();
      otherSlash56[6] = 0x11;
      int member = pick(s, new ClientSubnet(2, a, 128, false), random);
      assertEquals(member, pick(s, new ClientSubnet(2, sameSlash56, 128, false), random));
      if (member != pick(s, new ClientSubnet(2, otherSlash56, 128, false), random)) {
        moved++;
      }
    }
    assertTrue(moved > 300, "different /56s should mostly differ; moved " + moved);
  }

  @Test
  void whenOneMemberGoesDownOnlyItsClientsMoveAndTheyComeBack() {
    Candidate[] all = equalMembers(5);
    Candidate[] withoutTwo = Arrays.stream(all).filter(c -> c.member() != 2)
        .toArray(Candidate[]::new);
    Selector before = policy.prepare(all);
    Selector during = policy.prepare(withoutTwo);
    Selector after = policy.prepare(all);
    SplittableRandom random = new SplittableRandom(5);
    int moved = 0;
    for (int subnet = 0; subnet < SUBNETS; subnet++) {
      ClientSubnet c = subnetClient(subnet, 9);
      int was = pick(before, c, random);
      int now = pick(during, c, random);
      if (was == 2) {
        assertNotEquals(2, now);
        moved++;
      } else {
        assertEquals(was, now, "subnet " + subnet + " moved without cause");
      }
      assertEquals(was, pick(after, c, random), "subnet " + subnet + " did not come back");
    }
    assertEquals(0.2, (double) moved / SUBNETS, 0.02);
  }

  @Test
  void spreadOverSubnetsFollowsWeights() {
    int[] weights = {1, 2, 3, 4};
    Candidate[] candidates = new Candidate[4];
    for (int i = 0; i < 4; i++) {
      candidates[i] = candidate(i, weights[i]);
    }
    Selector s = policy.prepare(candidates);
    assertSharesFollow(weights, firstShares(s, 4, SUBNETS, q -> subnetClient(q, 1)));
  }

  @Test
  void anEcsAddressCutToItsPrefixBytesHashesLikeTheFullAddress() {
    Selector s = policy.prepare(equalMembers(5));
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 500; i++) {
      ClientSubnet ecs = new ClientSubnet(1, new byte[] {10, 7, (byte) i}, 24, true);
      assertEquals(pick(s, subnetClient(7 * 256 + (i & 0xff), 99), random),
          pick(s, ecs, random));
    }
  }

  @Test
  void scopeIsTheStickyCutOfTheClientFamily() {
    Selector s = new StickyPolicy(new StickyPrefixes(16, 48)).prepare(equalMembers(2));
    assertEquals(16, s.ecsScope(ipv4(10, 1, 2, 3)));
    assertEquals(48, s.ecsScope(new ClientSubnet(2, new byte[16], 128, false)));
  }

  @Test
  void aShorterCutGroupsWiderSubnets() {
    Selector s = new StickyPolicy(new StickyPrefixes(16, 56)).prepare(equalMembers(5));
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 500; i++) {
      assertEquals(pick(s, ipv4(10, i & 0xff, 0, 1), random),
          pick(s, ipv4(10, i & 0xff, 200, 7), random));
    }
  }

  private static Candidate[] equalMembers(int n) {
    Candidate[] c = new Candidate[n];
    for (int i = 0; i < n; i++) {
      c[i] = candidate(i, 1);
    }
    return c;
  }

  /** A client in the subnet-th /24 of 10.0.0.0/8. */
  private static ClientSubnet subnetClient(int subnet, int host) {
    return ipv4(10, (subnet >> 8) & 0xff, subnet & 0xff, host);
  }

  private static int pick(Selector s, ClientSubnet client, SplittableRandom random) {
    int[] out = new int[1];
    s.select(client, random, out);
    return out[0];
  }
}
