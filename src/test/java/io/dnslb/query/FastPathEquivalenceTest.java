package io.dnslb.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.answer.Catalog;
import io.dnslb.answer.ChaosAnswers;
import io.dnslb.answer.Responder;
import io.dnslb.app.CatalogLoader;
import io.dnslb.testing.TestZones;
import io.dnslb.wire.Query;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * For a battery of queries the fast path (pool splice, response cache miss and hit) must answer
 * exactly what the general path answers: byte for byte where the answer is deterministic, the
 * same member set for a pool that rotates.
 */
class FastPathEquivalenceTest {
  private static final String POOLS = """
      pools {
        one { names = ["one.example.test."], policy = failover, answers = 1,
              members = [ { address = "198.51.100.1" } ] }
        rr { names = ["rr.example.test.", "rr2.example.test."], policy = round-robin, answers = 3,
             members = [ { address = "198.51.100.10" }, { address = "198.51.100.11" },
                         { address = "198.51.100.12" } ] }
        six { names = ["six.example.test."], policy = failover, answers = 1,
              members = [ { address = "2001:db8::6" } ] }
        sticky { names = ["sticky.example.test."], policy = sticky, answers = 1,
                 members = [ { address = "198.51.100.20" }, { address = "198.51.100.21" } ] }
        many { names = ["many.example.test."], policy = round-robin, answers = 16,
               members = [ %s ] }
      }
      """;
  private static final InetAddress SOURCE = InetAddress.getLoopbackAddress();

  @TempDir static Path dir;
  static Catalog catalog;
  static PreparedCatalog prepared;

  @BeforeAll
  static void load() throws Exception {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      // Commas: HOCON merges objects written side by side ({..} {..}) into one member.
      many.append(i == 0 ? "" : ", ")
          .append("{ address = \"2001:db8::").append(i + 1).append("\" }");
    }
    Files.writeString(dir.resolve("example.test.zone"), TestZones.EXAMPLE);
    Files.writeString(dir.resolve("other.test.zone"), TestZones.OTHER);
    Files.writeString(dir.resolve("example.test.pools.conf"), POOLS.formatted(many));
    catalog = CatalogLoader.load(dir);
    prepared = PreparedCatalog.of(catalog);
  }

  private static Responder responder() {
    return new Responder(1232, 8, new ChaosAnswers("dnslb-test", "", ""));
  }

  /** Forces the general path: an observer that wants decoded queries disables the fast one. */
  private static final QueryObserver GENERAL_ONLY = new QueryObserver() {
    @Override
    public void answered(boolean tcp, int qtype, int rcode, long nanos, Query q, Message r) {}

    @Override
    public void failed(RuntimeException e) {}

    @Override
    public boolean detailed() {
      return true;
    }
  };

  private static byte[] query(String name, int type, int dclass, int payload, boolean dnssecOk,
      boolean rd) throws Exception {
    Message m = new Message(0x2a2a);
    m.addRecord(Record.newRecord(Name.fromString(name), type, dclass), Section.QUESTION);
    if (rd) {
      m.getHeader().setFlag(Flags.RD);
    }
    if (payload > 0) {
      m.addRecord(new OPTRecord(payload, 0, 0, dnssecOk ? 0x8000 : 0), Section.ADDITIONAL);
    }
    return m.toWire();
  }

  private static List<byte[]> battery() throws Exception {
    String[] names = {"www.example.test.", "WwW.ExAmple.TEST.", "nothere.example.test.",
        "www.sub.example.test.", "alias.example.test.", "b.c.example.test.",
        "any.wild.example.test.", "big.example.test.", "example.test.", "host.other.test.",
        "www.elsewhere.example.", "one.example.test.", "OnE.example.test.", "six.example.test.",
        "rr.example.test.", "rr2.EXAMPLE.test.", "many.example.test.", "sticky.example.test."};
    int[] types = {Type.A, Type.AAAA, Type.TXT, Type.MX, Type.ANY};
    int[][] edns = {{0, 0}, {512, 0}, {513, 1}, {1232, 0}, {1232, 1}, {4096, 0}, {600, 1}};
    List<byte[]> out = new ArrayList<>();
    for (String n : names) {
      for (int t : types) {
        for (int[] e : edns) {
          out.add(query(n, t, DClass.IN, e[0], e[1] == 1, t == Type.A));
        }
      }
    }
    out.add(query("version.bind.", Type.TXT, DClass.CH, 1232, false, false));
    out.add(query("www.example.test.", Type.A, DClass.HS, 0, false, false));
    out.add(query("one.example.test.", Type.A, DClass.ANY, 0, false, false));
    out.add(query("www.example.test.", Type.AXFR, DClass.IN, 0, false, false));
    return out;
  }

  @Test
  void fastAnswersMatchTheGeneralPath() throws Exception {
    QueryProcessor general = new QueryProcessor(responder(), () -> prepared, GENERAL_ONLY);
    QueryProcessor fast = new QueryProcessor(responder(), () -> prepared, QueryObserver.NONE);
    int compared = 0;
    for (byte[] q : battery()) {
      for (boolean tcp : new boolean[] {false, true}) {
        byte[] expected = general.process(q, SOURCE, tcp);
        for (int round = 0; round < 2; round++) { // a cache miss, then a hit
          byte[] actual = fast.process(q, SOURCE, tcp);
          String what = new Message(q).getQuestion() + " tcp=" + tcp + " round=" + round;
          if (rotates(q)) {
            assertSameAnswerSet(expected, actual, what);
          } else {
            assertArrayEquals(expected, actual, what + "\n" + new Message(expected)
                + "\n" + new Message(actual));
          }
          compared++;
        }
      }
    }
    assertTrue(compared > 1000);
  }

  private static boolean rotates(byte[] q) throws Exception {
    String n = new Message(q).getQuestion().getName().toString().toLowerCase();
    return n.startsWith("rr") || n.startsWith("many");
  }

  /** Same header, question and OPT; the answer section as a set of records. */
  private static void assertSameAnswerSet(byte[] expected, byte[] actual, String what)
      throws Exception {
    Message e = new Message(expected);
    Message a = new Message(actual);
    assertEquals(e.getHeader().toString().replaceAll("id: \\d+", ""),
        a.getHeader().toString().replaceAll("id: \\d+", ""), what);
    assertEquals(e.getSection(Section.QUESTION), a.getSection(Section.QUESTION), what);
    assertEquals(Set.copyOf(e.getSection(Section.ANSWER)),
        Set.copyOf(a.getSection(Section.ANSWER)), what);
    assertEquals(e.getSection(Section.AUTHORITY), a.getSection(Section.AUTHORITY), what);
    assertEquals(e.getSection(Section.ADDITIONAL), a.getSection(Section.ADDITIONAL), what);
  }

  @Test
  void patchesIdFlagsAndCaseOnACacheHit() throws Exception {
    QueryProcessor fast = new QueryProcessor(responder(), () -> prepared, QueryObserver.NONE);
    fast.process(query("www.example.test.", Type.A, DClass.IN, 1232, false, false), SOURCE, false);
    byte[] q = query("WWW.example.TEST.", Type.A, DClass.IN, 1232, false, true);
    q[0] = 0x77;
    q[3] |= 0x10; // CD
    Message r = new Message(fast.process(q, SOURCE, false));
    assertEquals(0x772a, r.getHeader().getID());
    assertTrue(r.getHeader().getFlag(Flags.RD) && r.getHeader().getFlag(Flags.CD));
    assertEquals("WWW.example.TEST.", r.getQuestion().getName().toString());
    assertEquals(2, r.getSection(Section.ANSWER).size());
  }

  @Test
  void aNewCatalogStartsWithAnEmptyCache() throws Exception {
    AtomicReference<PreparedCatalog> current = new AtomicReference<>(prepared);
    QueryProcessor fast = new QueryProcessor(responder(), current::get, QueryObserver.NONE);
    byte[] q = query("www.example.test.", Type.A, DClass.IN, 1232, false, false);
    assertEquals(0, new Message(fast.process(q, SOURCE, false)).getRcode());
    current.set(PreparedCatalog.EMPTY);
    Message after = new Message(fast.process(q, SOURCE, false));
    assertNotEquals(0, after.getRcode()); // REFUSED: nothing served any more
  }

  @Test
  void roundRobinRotatesAndStickyIsStable() throws Exception {
    QueryProcessor fast = new QueryProcessor(responder(), () -> prepared, QueryObserver.NONE);
    byte[] rr = query("rr.example.test.", Type.A, DClass.IN, 1232, false, false);
    Set<String> firsts = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      firsts.add(new Message(fast.process(rr, SOURCE, false)).getSection(Section.ANSWER).get(0)
          .rdataToString());
    }
    assertEquals(3, firsts.size());
    byte[] sticky = query("sticky.example.test.", Type.A, DClass.IN, 0, false, false);
    QueryProcessor general = new QueryProcessor(responder(), () -> prepared, GENERAL_ONLY);
    for (String source : new String[] {"192.0.2.1", "198.18.5.9", "203.0.113.200", "::1"}) {
      InetAddress a = InetAddress.getByName(source);
      assertArrayEquals(general.process(sticky, a, false), fast.process(sticky, a, false), source);
    }
  }
}
