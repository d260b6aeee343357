package io.dnslb.zone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.config.ConfigError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The plain-line lexer ({@link PlainLine}) is an optimisation only: on generated zone files, the
 * loader with it gives exactly what the loader gives with every line read by dnsjava's Master
 * (the form {@link CompiledZoneTest} holds to dnsjava's own RRsets): every RRset (records, TTL,
 * signatures, owner case), the record count, or the same error at the same FILE:LINE. The lines
 * mix what the lexer takes (A, AAAA, NS, CNAME, PTR; TTL and class in either order, blank owners,
 * @, absolute names, comments, tabs, CRLF) with near misses it must leave to dnsjava (leading
 * zeros, long labels, TTL units, other classes, extra tokens, names outside the zone) and lines
 * only dnsjava reads ($ORIGIN, $TTL, $GENERATE, parentheses, quotes, escapes, other types).
 */
class PlainLineDifferentialTest {
  private static final String HEAD = "$ORIGIN z.test.\n$TTL 300\n@ SOA ns1 host 1 7200 900 1209600 60\n";
  private static final String L63 = "a".repeat(63);
  private static final String L64 = "b".repeat(64);

  @Property(tries = 150)
  void validZonesLoadTheSame(@ForAll("validZones") List<String> lines) throws Exception {
    same(lines);
  }

  @Property(tries = 150)
  void nearMissesAndErrorsAreDnsjavas(@ForAll("zones") List<String> lines) throws Exception {
    same(lines);
  }

  private static void same(List<String> lines) throws Exception {
    Path dir = Files.createTempDirectory("plain");
    try {
      Path file = dir.resolve("z.test.zone");
      Files.writeString(file, HEAD + String.join("", lines), StandardCharsets.ISO_8859_1);
      Object want = outcome(file, false);
      Object got = outcome(file, true);
      Statistics.collect(want instanceof String s && s.startsWith("error") ? "error" : "loaded");
      assertEquals(want, got, () -> "zone:\n" + HEAD + String.join("", lines));
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }

  @Example
  void plainLinesNeverReachDnsjava() throws Exception {
    // A sink that counts what each half hands out: a big zone's lines all take the lexer.
    Path dir = Files.createTempDirectory("plain");
    Path file = dir.resolve("z.test.zone");
    StringBuilder zone = new StringBuilder(HEAD);
    for (int i = 0; i < 1000; i++) {
      zone.append("h").append(i).append(" IN A 10.0.").append(i / 256).append('.').append(i % 256)
          .append('\n');
    }
    zone.append("\tAAAA 2001:db8::1\nn NS ns1\nc 60 CNAME h1\np in 20 PTR x.z.test.\n");
    Files.writeString(file, zone);
    int[] counts = new int[2];
    MasterFileReader.read(file, "f", Name.fromString("z.test."), new MasterFileReader.Sink() {
      @Override
      public void plain(PlainLine p, int line) {
        counts[0]++;
      }

      @Override
      public void record(Record r, int line) {
        counts[1]++;
      }
    }, true);
    assertArrayEquals(new int[] {1004, 1}, counts, "plain lines, records from dnsjava (the SOA)");
    Files.delete(file);
    Files.delete(dir);
  }

  /** The zone, as comparable text, or the error's FILE:LINE: message. */
  private static Object outcome(Path file, boolean plainLines) {
    Zone zone;
    try {
      zone = ZoneLoader.load(file, plainLines);
    } catch (ConfigError e) {
      return "error " + e.getMessage();
    }
    Map<String, String> nodes = new TreeMap<>();
    zone.forEachNode((name, node) -> {
      StringBuilder s = new StringBuilder(name.toString()).append(' ')
          .append(java.util.Arrays.toString(node.types()));
      for (int type : node.types()) {
        RRset set = node.rrset(type);
        assertNotNull(set, name + " " + Type.string(type));
        s.append("\n  ").append(set.getName()).append(' ').append(set.getTTL()).append(' ')
            .append(Type.string(set.getType()));
        for (Record r : set.rrs(false)) {
          assertEquals(set.getTTL(), r.getTTL());
          s.append("\n    ").append(r.getName()).append(' ').append(r.rdataToString());
        }
        for (Record r : set.sigs()) {
          s.append("\n    sig ").append(r.rdataToString());
        }
      }
      nodes.put(name.toString().toLowerCase(), s.toString());
    });
    return zone.recordCount() + " records\n" + String.join("\n", nodes.values());
  }

  @Provide
  Arbitrary<List<String>> zones() {
    return Arbitraries.frequencyOf(
            Tuple.of(8, plainish()),
            Tuple.of(2, Arbitraries.of(OTHER_LINES)))
        .list().ofMinSize(1).ofMaxSize(25);
  }

  @Provide
  Arbitrary<List<String>> validZones() {
    return Arbitraries.frequencyOf(
            Tuple.of(8, valid()),
            Tuple.of(2, Arbitraries.of(VALID_OTHER_LINES)))
        .list().ofMinSize(1).ofMaxSize(40);
  }

  /** Lines of the lexer's shape that load (CNAMEs at names of their own). */
  private Arbitrary<String> valid() {
    Arbitrary<String> owner = Arbitraries.of("", "", "@", "www", "WWW", "a.b", "A.b.C", "*.w",
        "x-y_z", "h1/2", "12", "in", "a", "IN", L63, "h1.z.test.", "H1.Z.Test.", "sub.z.test",
        "d.Sub", (L63 + ".").repeat(3) + "c");
    Arbitrary<String> space = Arbitraries.of(" ", "\t", "  ", " \t ");
    Arbitrary<String> ttl = Arbitraries.of("", "", "0", "300", "86400", "999999999", "60");
    Arbitrary<String> dclass = Arbitraries.of("", "", "IN", "in", "In");
    Arbitrary<Boolean> classFirst = Arbitraries.of(true, false);
    Arbitrary<String[]> typeAndData = Arbitraries.oneOf(
        Combinators.combine(Arbitraries.of("A", "a"), Arbitraries.of("192.0.2.1", "0.0.0.0",
            "255.255.255.255", "10.0.0.1", "192.0.2.2")).as((t, d) -> new String[] {t, d}),
        Combinators.combine(Arbitraries.of("AAAA", "aaaa"), Arbitraries.of("2001:db8::1", "::",
            "::ffff:1.2.3.4", "2001:DB8:0:0:0:0:0:A")).as((t, d) -> new String[] {t, d}),
        Combinators.combine(Arbitraries.of("NS", "ns", "PTR", "Ptr"), Arbitraries.of("ns1",
            "NS1.Other.Test.", "@", "x.z.test.", "www", "*.w", (L63 + ".").repeat(3) + "c."))
            .as((t, d) -> new String[] {t, d}),
        Arbitraries.of(new String[] {"MX", "10 mail"}, new String[] {"TXT", "plain"}));
    Arbitrary<String> comment = Arbitraries.of("", "", " ; a comment", ";c (paren \"q", "\t;");
    Arbitrary<String> end = Arbitraries.of("\n", "\n", "\r\n");
    Arbitrary<String> cname = Combinators.combine(Arbitraries.integers().between(0, 100000),
        Arbitraries.of("www", "cn.Target.", "@"), ttl)
        .as((n, target, t) -> "cn" + n + " " + t + " CNAME " + target + "\n");
    return Arbitraries.frequencyOf(
        Tuple.of(9, line(owner, space, ttl, dclass, classFirst, typeAndData, comment, end)),
        Tuple.of(1, cname));
  }

  /** Lines of the lexer's shape, valid or a near miss. */
  private Arbitrary<String> plainish() {
    Arbitrary<String> owner = Arbitraries.of("", "", "@", "www", "WWW", "a.b", "A.b.C", "*.w",
        "x-y_z", "h1/2", "12", "in", "a", "IN", L63, L64, "h1.z.test.", "H1.Z.Test.",
        "other.test.", "a..b", ".", ".a", "sub.z.test", "x@y", (L63 + ".").repeat(3) + "c");
    Arbitrary<String> space = Arbitraries.of(" ", "\t", "  ", " \t ");
    Arbitrary<String> ttl = Arbitraries.of("", "", "0", "300", "86400", "999999999",
        "2147483648", "1h", "01", "4294967296", "5m30s");
    Arbitrary<String> dclass = Arbitraries.of("", "", "IN", "in", "In", "CH", "CLASS1", "ANY");
    Arbitrary<Boolean> classFirst = Arbitraries.of(true, false);
    Arbitrary<String[]> typeAndData = Arbitraries.oneOf(
        Combinators.combine(Arbitraries.of("A", "a", "TYPE1"), Arbitraries.of("192.0.2.1",
            "0.0.0.0", "255.255.255.255", "10.0.0.1", "01.2.3.4", "1.2.3", "1.2.3.4.5",
            "256.1.1.1", "1.2.3.4x", "::1", "1.2.3.00", "1.2.3.4.")).as((t, d) -> new String[] {t, d}),
        Combinators.combine(Arbitraries.of("AAAA", "aaaa"), Arbitraries.of("2001:db8::1", "::",
            "::ffff:1.2.3.4", "1::2::3", "1.2.3.4", "2001:DB8:0:0:0:0:0:A", "fffff::1", ":1::"))
            .as((t, d) -> new String[] {t, d}),
        Combinators.combine(Arbitraries.of("NS", "ns", "CNAME", "cname", "PTR", "Ptr"),
            Arbitraries.of("ns1", "NS1.Other.Test.", "@", ".", "a..b", "x.z.test.", L64, "www",
                "*.w", (L63 + ".").repeat(4) + "c.")).as((t, d) -> new String[] {t, d}),
        Arbitraries.of(new String[] {"MX", "10 mail"}, new String[] {"TXT", "plain"},
            new String[] {"A", ""}, new String[] {"A", "192.0.2.1 192.0.2.2"},
            new String[] {"CNAME", "www extra"}, new String[] {"A6", "0 ::1"}));
    Arbitrary<String> comment = Arbitraries.of("", "", " ; a comment", ";c (paren \"q",
        "\t;", " ;; x");
    Arbitrary<String> end = Arbitraries.of("\n", "\n", "\r\n");
    return line(owner, space, ttl, dclass, classFirst, typeAndData, comment, end);
  }

  private static Arbitrary<String> line(Arbitrary<String> owner, Arbitrary<String> space,
      Arbitrary<String> ttl, Arbitrary<String> dclass, Arbitrary<Boolean> classFirst,
      Arbitrary<String[]> typeAndData, Arbitrary<String> comment, Arbitrary<String> end) {
    return Combinators.combine(owner, space, ttl, dclass, classFirst, typeAndData, comment, end)
        .as((o, sp, t, c, cf, td, cm, e) -> {
          List<String> f = new ArrayList<>();
          f.add(o);
          if (cf) {
            add(f, c);
            add(f, t);
          } else {
            add(f, t);
            add(f, c);
          }
          f.add(td[0]);
          add(f, td[1]);
          return String.join(sp, f) + cm + e;
        });
  }

  private static void add(List<String> fields, String field) {
    if (!field.isEmpty()) {
      fields.add(field);
    }
  }

  /** Lines for dnsjava alone, and blanks and comments. */
  private static final String[] OTHER_LINES = {
    "\n", "; comment\n", "   \n", "\t; indented comment\n",
    "$TTL 60\n", "$TTL 1h\n", "$ttl 45 ; (a comment)\n",
    "$ORIGIN sub.z.test.\n", "$ORIGIN z.test.\n", "$ORIGIN other.test.\n", "$ORIGIN Mixed.Z.Test.\n",
    "m MX 10 mail\n", "t TXT \"a (b\" \"c\"\n", "t2 300 IN TXT ( \"a\"\n  \"b\" )\n",
    "ml ( 300 IN\n A 192.0.2.77 )\n", "$GENERATE 1-3 g$ A 10.0.0.$\n", "e\\.x A 192.0.2.5\n",
    "   MX 20 mx2\n", "q A \"192.0.2.6\"\n", "w2 CNAME www\n", "s 120 SRV 1 2 3 srv\n",
    "$INCLUDE other.zone\n", "bad ( A\n", "bad2 A 192.0.2.1 )\n", "@ NS ns2\n",
    "u TYPE65280 \\# 2 abcd\n", "r RRSIG A 13 3 300 20300101000000 20200101000000 1 z.test. AAAA\n",
  };

  /** Lines for dnsjava alone that load. */
  private static final String[] VALID_OTHER_LINES = {
    "\n", "; comment\n", "   \n", "\t; indented comment\n",
    "$TTL 60\n", "$TTL 1h\n", "$ttl 45 ; (a comment)\n",
    "$ORIGIN sub.z.test.\n", "$ORIGIN z.test.\n", "$ORIGIN Mixed.Z.Test.\n",
    "m MX 10 mail\n", "t TXT \"a (b\" \"c\"\n", "t2 300 IN TXT ( \"a\"\n  \"b\" )\n",
    "ml ( 300 IN\n A 192.0.2.77 )\n", "$GENERATE 1-3 g$ A 10.0.0.$\n", "e\\.x A 192.0.2.5\n",
    "   MX 20 mx2\n", "s 120 SRV 1 2 3 srv\n", "@ NS ns2\n", "u TYPE65280 \\# 2 abcd\n",
    "r RRSIG A 13 3 300 20300101000000 20200101000000 1 z.test. AAAA\n", "x TYPE1 192.0.2.9\n",
  };

  @Example
  void anErrorAfterPlainLinesNamesItsLine() throws Exception {
    Path dir = Files.createTempDirectory("plain");
    Path file = dir.resolve("z.test.zone");
    Files.writeString(file, HEAD + "a A 192.0.2.1\nb A 192.0.2.2\n\nc A 192.0.2.300\nd A 1.1.1.1\n");
    Object got = outcome(file, true);
    assertEquals(file + ":7: '192.0.2.300' is not a valid address for this record type",
        ((String) got).substring("error ".length()));
    assertEquals(outcome(file, false), got);
    Files.writeString(file, HEAD + "a A 192.0.2.1\n  TXT \"x\"\nb CNAME a\n  A 192.0.2.2\n");
    assertTrue(((String) outcome(file, true)).endsWith(
        ":7: A at b.z.test. beside a CNAME (line 6, RFC 1034 §3.6.2)"), "blank owner continues b");
    Files.delete(file);
    Files.delete(dir);
  }
}
