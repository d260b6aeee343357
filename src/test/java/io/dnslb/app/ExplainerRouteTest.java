package io.dnslb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dnslb.answer.Catalog;
import io.dnslb.answer.ChaosAnswers;
import io.dnslb.answer.Lookup;
import io.dnslb.pool.Pools;
import io.dnslb.zone.ZoneLoader;
import io.dnslb.zone.ZoneSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Explain follows the route a query takes through the same {@link Lookup} that answers it (the
 * pool side is ExplainE2ETest's): a chain that leaves our zones or loops ends with its CNAMEs
 * (NOERROR, not REFUSED), a name below a cut is a referral, a missing name NXDOMAIN.
 */
class ExplainerRouteTest {
  @TempDir Path dir;

  @Test
  void explainsWhereTheRouteEnds() throws Exception {
    Path file = dir.resolve("e.test.zone");
    Files.writeString(file, String.join("\n",
        "$ORIGIN e.test.",
        "$TTL 60",
        "@ SOA ns hostmaster 1 3600 600 604800 60",
        "@ NS ns",
        "ns A 192.0.2.1",
        "out CNAME www.elsewhere.example.",
        "loop1 CNAME loop2",
        "loop2 CNAME loop1",
        "sub NS ns.sub",
        "ns.sub A 192.0.2.2",
        "*.w A 192.0.2.3",
        "via CNAME x.w",
        "alias CNAME ns",
        ""));
    Catalog catalog = new Catalog(new ZoneSet(List.of(ZoneLoader.load(file))), Pools.EMPTY);
    Explainer explainer = new Explainer(() -> catalog, new Lookup(8, ChaosAnswers.none()), null);

    assertEquals(List.of("CNAME", "out.e.test. is a CNAME to www.elsewhere.example.",
        "www.elsewhere.example. is in none of our zones: the answer ends with the CNAME and the"
            + " resolver follows it"), outcome(explainer, "out.e.test."));
    assertEquals(List.of("CNAME", "loop1.e.test. is a CNAME to loop2.e.test.",
        "loop2.e.test. is a CNAME to loop1.e.test.",
        "loop1.e.test. was visited already (a CNAME loop): the answer ends here"),
        outcome(explainer, "loop1.e.test."));
    assertEquals(List.of("referral",
        "below the zone cut at sub.e.test.: a referral to its name servers"),
        outcome(explainer, "host.sub.e.test."));
    assertEquals(List.of("NXDOMAIN", "nope.e.test. does not exist in zone e.test.: NXDOMAIN"),
        outcome(explainer, "nope.e.test."));
    assertEquals(List.of("zone", "via.e.test. is a CNAME to x.w.e.test.",
        "x.w.e.test. (from *.w.e.test.) is not a pool name: zone e.test. answers it from its file"),
        outcome(explainer, "via.e.test."));
    assertEquals(List.of("zone", "alias.e.test. is a CNAME to ns.e.test.",
        "ns.e.test. is not a pool name: zone e.test. answers it from its file"),
        outcome(explainer, "alias.e.test."));
    assertEquals(List.of("REFUSED", "www.elsewhere.example. is in none of our zones: REFUSED"),
        outcome(explainer, "www.elsewhere.example."));
  }

  @SuppressWarnings("unchecked")
  private static List<String> outcome(Explainer explainer, String name) {
    Map<String, Object> out = explainer.explain(name, "A", null, null);
    List<String> lines = new java.util.ArrayList<>();
    lines.add((String) out.get("outcome"));
    lines.addAll((List<String>) out.get("lines"));
    return lines;
  }
}
