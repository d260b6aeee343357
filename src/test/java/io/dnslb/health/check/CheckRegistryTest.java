package io.dnslb.health.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.health.CheckSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The registry: one entry per type, found by its name, whose own keys it alone reads. */
class CheckRegistryTest {
  private static final Set<String> COMMON = Set.of("type", "port", "host", "address",
      "interval", "timeout", "rise", "fall", "fast-fail");

  @Test
  void everyTypeIsFoundByItsOwnNameOnce() {
    Set<String> seen = new HashSet<>();
    for (CheckType type : CheckRegistry.all()) {
      assertTrue(seen.add(type.name()), "two check types named " + type.name());
      assertSame(type, CheckRegistry.byName(type.name()));
      for (String key : type.keys()) {
        assertTrue(!COMMON.contains(key), type.name() + " claims the common key " + key);
        assertTrue(CheckSpec.keys().contains(key), key);
      }
    }
    assertNull(CheckRegistry.byName("smtp"));
    assertEquals(List.of("tcp", "http", "https", "exec", "none"),
        CheckRegistry.namesWith(t -> true));
    assertEquals(List.of("tcp", "http", "https"), CheckRegistry.namesWith(CheckType::socket));
  }
}
