package io.dnslb.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dnslb.app.CatalogLoader;
import io.dnslb.testing.TestZones;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

/**
 * Fuzzes the whole query path, raw bytes to encoded response, over the test zones and the example
 * pools and a signed zone ({@code signed.test.}, asked with DO by the {@code signed_*} seeds),
 * through both processors: the fast path's answer must match the general path's. In a normal
 * build Jazzer replays the seeds in {@code QueryProcessorFuzzTestInputs/} (real queries of every
 * answer kind) and any crash found earlier; {@code mvn -Pfuzz test} mutates them.
 */
class QueryProcessorFuzzTest {
  private static final int SERVER_PAYLOAD = 1232;
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  private static PathComparison paths;
  /** Bugs that reached QueryProcessor's catch-all: hidden from clients, fatal here. */
  private static final List<RuntimeException> failures = new ArrayList<>();

  @BeforeAll
  static void loadCatalog() throws Exception {
    Path dir = Files.createTempDirectory("dnslb-fuzz");
    Files.writeString(dir.resolve("example.test.zone"), TestZones.EXAMPLE);
    Files.writeString(dir.resolve("other.test.zone"), TestZones.OTHER);
    Files.writeString(dir.resolve("deep.zone"), TestZones.DEEP);
    copyExample(dir, "lb.example.com.zone");
    copyExample(dir, "lb.example.com.pools.conf");
    // A signed zone (compact denial, pooled RRSIGs on both paths): the DO seeds ask it.
    Files.writeString(dir.resolve("signed.test.zone"), SIGNED_ZONE);
    Files.writeString(dir.resolve("signed.test.pools.conf"), SIGNED_POOLS);
    Files.writeString(dir.resolve("signed.test.dnssec.conf"), "dnssec { keys = \"keys/\" }\n");
    io.dnslb.dnssec.KeyFiles.generate(dir.resolve("keys"),
        org.xbill.DNS.Name.fromString("signed.test."), 13, true, 3600, java.time.Instant.now());
    paths = new PathComparison(CatalogLoader.load(dir), SERVER_PAYLOAD, failures::add);
    // The signed zone really is signed, on both paths (else its seeds would test nothing new).
    Message q = Message.newQuery(org.xbill.DNS.Record.newRecord(
        org.xbill.DNS.Name.fromString("www.signed.test."), org.xbill.DNS.Type.A, 1));
    q.addRecord(new OPTRecord(1232, 0, 0, org.xbill.DNS.ExtendedFlags.DO), 3);
    Message signed = new Message(paths.compare(q.toWire(), CLIENT, false, "signed pool"));
    assertTrue(signed.getSection(1).stream().anyMatch(r -> r.getType() == org.xbill.DNS.Type.RRSIG),
        signed::toString);
  }

  static final String SIGNED_ZONE = """
      $ORIGIN signed.test.
      $TTL 300
      @        SOA   ns1 hostmaster 1 3600 600 604800 60
      @        NS    ns1
      ns1      A     127.0.0.1
      static   A     192.0.2.80
      static   TXT   "static"
      alias    CNAME www
      *.wild   A     192.0.2.99
      a.b.c    TXT   "deep"
      sub      NS    ns.sub
      ns.sub   A     127.0.0.1
      """;
  static final String SIGNED_POOLS = """
      pools {
        signed-web {
          names = ["www.signed.test."]
          policy = weighted
          members = [{ address = "192.0.2.10" }, { address = "192.0.2.11" },
            { address = "2001:db8::10" }, { address = "2001:db8::11" }]
        }
        signed-one {
          names = ["one.signed.test."]
          members = [{ address = "192.0.2.20" }]
        }
        signed-auto {
          names = ["auto.signed.test."]
          ttl = auto
          members = [{ address = "192.0.2.30" }, { address = "192.0.2.31" }]
        }
      }
      """;

  private static void copyExample(Path dir, String name) throws IOException {
    Files.copy(Path.of("zones", name), dir.resolve(name));
  }

  @FuzzTest(maxDuration = "60s") // the bound of `mvn -Pfuzz test` in CI
  void fuzzQueryPath(byte[] packet) throws IOException {
    // Both processors, compared as the battery compares them; then the general path's answer
    // (which the comparison found equal to the fast path's) against the rules.
    check(packet, paths.compare(packet, CLIENT, false, "udp"), udpLimit(packet));
    check(packet, paths.compare(packet, CLIENT, true, "tcp"), 65535);
    if (!failures.isEmpty()) {
      RuntimeException e = failures.get(0);
      failures.clear();
      throw new AssertionError("query path failed internally", e);
    }
  }

  private static void check(byte[] packet, byte[] response, int limit) throws IOException {
    boolean ignorable = packet.length < 12 || (packet[2] & 0x80) != 0;
    if (ignorable) {
      assertNull(response, "short packets and responses get no reply");
      return;
    }
    if (response == null) {
      fail("a query with a readable header got no reply");
    }
    assertTrue(response.length <= limit, () -> response.length + " bytes > limit " + limit);
    Message m = new Message(response);
    assertTrue(m.getHeader().getFlag(Flags.QR), "QR set");
    assertEquals(((packet[0] & 0xff) << 8) | (packet[1] & 0xff), m.getHeader().getID(), "ID");
  }

  /** RFC 6891 §6.2.3–5: 512 without OPT, else the client's payload capped by ours, floor 512. */
  private static int udpLimit(byte[] packet) {
    OPTRecord opt;
    try {
      opt = new Message(packet).getOPT();
    } catch (IOException | RuntimeException e) {
      return 512; // unparseable: the reply is a 12-byte header
    }
    return opt == null ? 512 : Math.max(512, Math.min(opt.getPayloadSize(), SERVER_PAYLOAD));
  }
}
