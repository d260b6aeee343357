package io.dnslb.zone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The compiled form ({@link NodeTable}) gives back exactly what dnsjava parsed, grouped as
 * dnsjava's own {@link RRset} groups it: every type the test zones use, owner case as written,
 * empty non-terminals, wildcards, $TTL and $ORIGIN, duplicates and TTL mismatches.
 */
class CompiledZoneTest {
  static final String ZONE = """
      $ORIGIN z.test.
      $TTL 300
      @ 3600 SOA ns1 hostmaster 1 7200 900 1209600 60
      @ NS ns1
      @ NS NS2.Other.Test.
      @ MX 10 mail
      @ TXT "v=spf1 -all" "second string; with a semicolon"
      @ CAA 0 issue "ca.example"
      ns1 A 192.0.2.1
      ns1 AAAA 2001:db8::1
      MiXeD.Case A 192.0.2.2
      www CNAME MiXeD.Case
      _sip._tcp SRV 10 60 5060 sip
      sip A 192.0.2.3
      *.wild A 192.0.2.4
      *.wild TXT "wild"
      a.b.c.deep A 192.0.2.5
      naptr NAPTR 100 10 "u" "E2U+sip" "!^.*$!sip:info@z.test!" .
      ssh SSHFP 1 1 123456789abcdef67890123456789abcdef67890
      _443._tcp.tls TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
      ptr PTR host.z.test.
      hinfo HINFO "PC" "Linux"
      unknown TYPE65534 \\# 3 010203
      sub NS ns.sub
      ns.sub A 192.0.2.6
      sub DS 12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
      dup A 192.0.2.7
      dup A 192.0.2.7
      ttl 100 A 192.0.2.8
      ttl 50 A 192.0.2.9
      ttl 200 A 192.0.2.10
      split A 192.0.2.11
      other A 192.0.2.12
      split AAAA 2001:db8::2
      SPLIT TXT "case of the later line"
      ns1 RRSIG A 13 3 300 20300101000000 20200101000000 12345 z.test. AAAA
      $TTL 120
      late A 192.0.2.13
      $ORIGIN sub2.z.test.
      x A 192.0.2.14
      @ TXT "at the second origin"
      """;

  @TempDir Path dir;

  private Path write(String text) throws Exception {
    return Files.writeString(dir.resolve("z.test.zone"), text);
  }

  /** What dnsjava makes of the file: its records grouped by dnsjava's RRset, owners in order. */
  private static Map<Name, Map<Integer, RRset>> reference(Path file) throws Exception {
    Map<Name, Map<Integer, RRset>> out = new LinkedHashMap<>();
    try (Master m = new Master(file.toString(), Name.fromString("z.test."))) {
      for (Record r; (r = m.nextRecord()) != null; ) {
        Map<Integer, RRset> node = out.computeIfAbsent(r.getName(), k -> new TreeMap<>());
        node.computeIfAbsent(EncodedSets.setType(r), k -> new RRset()).addRR(r);
      }
    }
    return out;
  }

  @Test
  void everyRRsetComesBackAsDnsjavaParsedIt() throws Exception {
    Path file = write(ZONE);
    Zone zone = ZoneLoader.load(file);
    Map<Name, Map<Integer, RRset>> want = reference(file);
    int sets = 0;
    for (Map.Entry<Name, Map<Integer, RRset>> owner : want.entrySet()) {
      Node node = zone.lookup(owner.getKey());
      assertNotNull(node, owner.getKey().toString());
      assertArrayEquals(owner.getValue().keySet().stream().mapToInt(Integer::intValue).toArray(),
          node.types(), "types at " + owner.getKey());
      for (RRset expected : owner.getValue().values()) {
        RRset got = node.rrset(expected.getType());
        assertSameRRset(expected, got);
        assertTrue(node.has(expected.getType()));
        sets++;
      }
      assertEquals(node.types()[0], node.first().getType());
      assertEquals(owner.getValue().size(), node.sets().size());
    }
    assertEquals(32, sets, "the zone above has this many RRsets");
  }

  private static void assertSameRRset(RRset want, RRset got) {
    String what = want.getName() + "/" + Type.string(want.getType());
    assertNotNull(got, what);
    assertEquals(want.getType(), got.getType(), what);
    assertEquals(want.getTTL(), got.getTTL(), what);
    // Record.equals ignores the TTL and the owner's case: compare those apart.
    assertEquals(want.rrs(false), got.rrs(false), what);
    assertEquals(want.sigs(), got.sigs(), what);
    for (Record r : got.rrs(false)) {
      assertEquals(want.getTTL(), r.getTTL(), what);
      assertEquals(want.getName().toString(), r.getName().toString(), what + ": owner case");
    }
  }

  @Test
  void ownerCaseIsAsFirstWrittenAndLookupIgnoresCase() throws Exception {
    Zone zone = ZoneLoader.load(write(ZONE));
    Node n = zone.lookup(Name.fromString("mixed.CASE.Z.TEST."));
    assertEquals("MiXeD.Case.z.test.", n.rrset(Type.A).getName().toString());
    // split and SPLIT are one name; its RRsets carry the case of its first line
    Node split = zone.lookup(Name.fromString("split.z.test."));
    assertArrayEquals(new int[] {Type.A, Type.TXT, Type.AAAA}, split.types());
    assertEquals("split.z.test.", split.rrset(Type.TXT).getName().toString());
    assertEquals("NS2.Other.Test.", zone.lookup(Name.fromString("z.test.")).rrset(Type.NS)
        .rrs(false).get(1).rdataToString(), "names inside RDATA keep their case too");
  }

  @Test
  void emptyNonTerminalsWildcardsAndAbsentNames() throws Exception {
    Zone zone = ZoneLoader.load(write(ZONE));
    for (String ent : new String[] {"b.c.deep.z.test.", "c.deep.z.test.", "deep.z.test.",
        "_tcp.z.test.", "_tcp.tls.z.test.", "tls.z.test.", "wild.z.test."}) {
      Node n = zone.lookup(Name.fromString(ent));
      assertNotNull(n, ent);
      assertTrue(n.isEmptyNonTerminal(), ent);
      assertNull(n.first(), ent);
      assertEquals(0, n.types().length, ent);
      assertNull(n.rrset(Type.A), ent);
    }
    assertEquals(2, zone.lookup(Name.fromString("*.wild.z.test.")).types().length);
    assertFalse(zone.lookup(Name.fromString("ns.sub.z.test.")).isEmptyNonTerminal());
    assertTrue(zone.isCut(Name.fromString("sub.z.test."),
        zone.lookup(Name.fromString("sub.z.test."))));
    assertFalse(zone.isCut(Name.fromString("z.test."), zone.lookup(Name.fromString("z.test."))));
    for (String absent : new String[] {"nope.z.test.", "x.wild.z.test.", "test.", ".",
        "www.other.test.", "a.b.c.deep.z.test.extra."}) {
      assertNull(zone.lookup(Name.fromString(absent)), absent);
    }
    assertNotNull(zone.lookup(Name.fromString("x.sub2.z.test.")).rrset(Type.A));
  }

  @Test
  void forEachNodeVisitsEveryNameOnce() throws Exception {
    Zone zone = ZoneLoader.load(write(ZONE));
    List<String> names = new ArrayList<>();
    zone.forEachNode((name, node) -> {
      names.add(name.toString().toLowerCase());
      assertEquals(node.types().length, zone.lookup(name).types().length);
    });
    assertEquals(names.size(), names.stream().distinct().count());
    assertTrue(names.contains("b.c.deep.z.test."));
    assertTrue(names.contains("sub2.z.test."), "an empty non-terminal at the second $ORIGIN");
    assertEquals(reference(dir.resolve("z.test.zone")).size() + 8, names.size(),
        "owners plus the 8 empty non-terminals");
  }

  @Test
  void duplicatesMergeAndTheLowestTtlWins() throws Exception {
    Zone zone = ZoneLoader.load(write(ZONE));
    assertEquals(1, zone.lookup(Name.fromString("dup.z.test.")).rrset(Type.A).size());
    RRset ttl = zone.lookup(Name.fromString("ttl.z.test.")).rrset(Type.A);
    assertEquals(3, ttl.size());
    assertEquals(50, ttl.getTTL());
    assertEquals(120, zone.lookup(Name.fromString("late.z.test.")).rrset(Type.A).getTTL());
    assertEquals(1, zone.lookup(Name.fromString("ns1.z.test.")).rrset(Type.A).sigs().size(),
        "an RRSIG joins the RRset it covers");
    assertEquals(37, zone.recordCount(), "records as written, duplicates included");
  }

  @Test
  void aSignedZoneIsMaterializedSoItsRRsetsAreTheSameObjects() throws Exception {
    Zone zone = ZoneLoader.load(write(ZONE));
    Name www = Name.fromString("www.z.test.");
    Zone signed = zone.withApexSets(List.of());
    assertSame(signed.lookup(www).rrset(Type.CNAME), signed.lookup(www).rrset(Type.CNAME));
    assertSameRRset(zone.lookup(www).rrset(Type.CNAME), signed.lookup(www).rrset(Type.CNAME));
    Zone withPool = signed.withNames(List.of(Name.fromString("pool.x.z.test.")));
    assertSame(signed.lookup(www).rrset(Type.CNAME), withPool.lookup(www).rrset(Type.CNAME));
    assertTrue(withPool.lookup(Name.fromString("x.z.test.")).isEmptyNonTerminal());
  }

  @Test
  void poolNamesJoinACompiledZoneAsEmptyNonTerminals() throws Exception {
    Zone zone = ZoneLoader.load(write(ZONE));
    Zone with = zone.withNames(List.of(Name.fromString("pool.x.deep.z.test."),
        Name.fromString("www.z.test."), Name.fromString("elsewhere.test.")));
    assertTrue(with.lookup(Name.fromString("pool.x.deep.z.test.")).isEmptyNonTerminal());
    assertTrue(with.lookup(Name.fromString("x.deep.z.test.")).isEmptyNonTerminal());
    assertNotNull(with.lookup(Name.fromString("www.z.test.")).rrset(Type.CNAME));
    assertNull(with.lookup(Name.fromString("elsewhere.test.")));
    assertSame(zone, zone.withNames(List.of(Name.fromString("www.z.test."))));
  }
}
