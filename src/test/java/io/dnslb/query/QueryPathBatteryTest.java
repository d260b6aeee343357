package io.dnslb.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.app.CatalogLoader;
import io.dnslb.pool.policy.Policies;
import io.dnslb.testing.TestZones;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One battery, both paths: generated pools (1–16 members; A, AAAA and both; every policy) asked
 * for A and AAAA with every EDNS payload that matters (none, 512, 513, 1232, 4096), DO on and
 * off, with and without ECS, over UDP and TCP, in lower and 0x20 case. The fast path must answer
 * what the general path answers ({@link PathComparison}): a path a client gets by accident (a
 * cookie, the query log) must not change its answer.
 */
class QueryPathBatteryTest {
  private static final int[] SIZES = {1, 2, 5, 16};
  private static final String[] FAMILIES = {"v4", "v6", "dual"};
  private static final int[] PAYLOADS = {-1, 512, 513, 1232, 4096};
  private static final InetAddress SOURCE = address("198.51.100.7");

  @TempDir static Path dir;
  static PathComparison paths;
  static List<String> names = new ArrayList<>();

  @BeforeAll
  static void load() throws Exception {
    StringBuilder pools = new StringBuilder("pools {\n");
    for (String policy : Policies.names()) {
      for (String family : FAMILIES) {
        for (int n : SIZES) {
          String id = policy + "-" + family + "-" + n;
          names.add(id + ".example.test.");
          pools.append(pool(id, policy, family, n));
        }
      }
    }
    Files.writeString(dir.resolve("example.test.zone"), TestZones.EXAMPLE);
    Files.writeString(dir.resolve("example.test.pools.conf"), pools.append("}\n").toString());
    paths = new PathComparison(CatalogLoader.load(dir), 1232);
  }

  /** A pool of n members answering all of them; weights and tiers vary so policies differ. */
  private static String pool(String id, String policy, String family, int n) {
    StringBuilder members = new StringBuilder();
    for (int i = 0; i < n; i++) {
      boolean six = family.equals("v6") || (family.equals("dual") && i % 2 == 1);
      String address = six ? "2001:db8::" + Integer.toHexString(i + 1) : "192.0.2." + (i + 1);
      members.append(i == 0 ? "" : ", ").append("{ address = \"").append(address)
          .append("\", weight = ").append(1 + i % 3);
      if (policy.equals("failover")) {
        members.append(", priority = ").append(1 + i % 2);
      }
      members.append(" }");
    }
    return "  " + id + " { names = [\"" + id + ".example.test.\"], policy = " + policy
        + ", answers = " + n + ", members = [" + members + "] }\n";
  }

  @Test
  void bothPathsAnswerEveryPoolQueryAlike() throws Exception {
    Random random = new Random(20261205);
    int compared = 0;
    for (String name : names) {
      for (int qtype : new int[] {Type.A, Type.AAAA}) {
        for (int payload : PAYLOADS) {
          for (boolean dnssecOk : new boolean[] {false, true}) {
            for (boolean ecs : new boolean[] {false, true}) {
              if (payload < 0 && (dnssecOk || ecs)) {
                continue; // DO and ECS live in the OPT record
              }
              for (boolean mixedCase : new boolean[] {false, true}) {
                String asked = mixedCase ? flipCase(name, random) : name;
                byte[] q = query(asked, qtype, payload, dnssecOk, ecs, random.nextInt(65536));
                for (boolean tcp : new boolean[] {false, true}) {
                  String what = asked + " " + Type.string(qtype) + " payload=" + payload
                      + " do=" + dnssecOk + " ecs=" + ecs + " tcp=" + tcp;
                  paths.compare(q, SOURCE, tcp, what);
                  compared++;
                }
              }
            }
          }
        }
      }
    }
    assertEquals(names.size() * 2 * (1 + 4 * 4) * 2 * 2, compared);
  }

  /**
   * The case that once split the paths: 16 AAAA members, EDNS with a 512-byte payload. Header
   * (12), question (36), 16 × 28 bytes and our 11-byte OPT make 507: all 16 fit, on both paths.
   */
  @Test
  void sixteenAaaaFitInFiveHundredTwelveBytesOnBothPaths() throws Exception {
    String name = "round-robin-v6-16.example.test.";
    byte[] q = query(name, Type.AAAA, 512, false, false, 7);
    Message general = new Message(paths.general.process(q, SOURCE, false));
    Message fast = new Message(paths.fast.process(q, SOURCE, false));
    assertEquals(16, general.getSection(Section.ANSWER).size(), general.toString());
    assertEquals(16, fast.getSection(Section.ANSWER).size(), fast.toString());
    assertTrue(paths.general.process(q, SOURCE, false).length <= 512);
    paths.compare(q, SOURCE, false, name);
  }

  static byte[] query(String name, int qtype, int payload, boolean dnssecOk, boolean ecs, int id)
      throws Exception {
    Message m = new Message(id);
    m.addRecord(Record.newRecord(Name.fromString(name), qtype, DClass.IN), Section.QUESTION);
    if (payload > 0) {
      List<EDNSOption> options = ecs
          ? List.of(new ClientSubnetOption(24, InetAddress.getByName("203.0.113.0")))
          : List.of();
      m.addRecord(new OPTRecord(payload, 0, 0, dnssecOk ? 0x8000 : 0, options),
          Section.ADDITIONAL);
    }
    return m.toWire();
  }

  /** The name with random letters upper-cased, as a resolver using 0x20 sends it. */
  static String flipCase(String name, Random random) {
    StringBuilder b = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      b.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
    }
    return b.toString();
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
