package io.dnslb.pool.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The registry: one entry per policy, found by its name, answering under that name. */
class PoliciesTest {
  @Test
  void everyTypeIsFoundByItsOwnNameOnce() {
    Set<String> seen = new HashSet<>();
    for (PolicyType type : Policies.all()) {
      assertTrue(seen.add(type.name()), "two policies named " + type.name());
      assertSame(type, Policies.byName(type.name()));
      assertTrue(type.defaultAnswers() >= 1, type.name());
    }
    assertEquals(null, Policies.byName("no-such-policy"));
    assertSame(RoundRobinPolicy.TYPE, Policies.DEFAULT);
  }

  @Test
  void policiesCarryTheirTypesName() {
    assertEquals("round-robin", RoundRobinPolicy.TYPE.read(null).name());
    assertEquals("weighted", WeightedPolicy.TYPE.read(null).name());
    assertEquals("failover", FailoverPolicy.TYPE.read(null).name());
    assertEquals("sticky", new StickyPolicy(StickyPrefixes.DEFAULT).name());
    assertEquals("topology", TopologyPolicy.TYPE.name());
  }
}
