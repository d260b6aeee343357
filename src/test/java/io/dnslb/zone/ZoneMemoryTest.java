package io.dnslb.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.config.ConfigError;
import io.dnslb.testing.TestServer;
import io.dnslb.testing.TestZones;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Zone data that would not fit in the heap is refused before it is parsed, with FILE:LINE. */
class ZoneMemoryTest {
  private static final String HEAD = "$ORIGIN big.test.\n$TTL 60\n"
      + "@ SOA ns1 hostmaster ( 1 3600 600\n   86400 60 ) ; a comment ( with a parenthesis\n"
      + "@ NS ns1\nns1 A 192.0.2.1\n";

  @TempDir Path dir;

  private Path zone(String body) throws Exception {
    return Files.writeString(dir.resolve("big.test.zone"), HEAD + body);
  }

  @Test
  void recordLinesAndGeneratedRecordsAreCounted() throws Exception {
    Path file = zone("t TXT \"; (not a comment\"\n\n; only a comment\n"
        + "$GENERATE 1-100/2 h$ A 10.0.0.$\n");
    ZoneMemory.Estimate e = ZoneMemory.estimate(file);
    assertEquals(3 + 1 + 50, e.records());
    assertEquals(10, e.largestGenerateLine());
  }

  /** The byte scanner reads lines as the parser does: CRLF, escapes, no final newline. */
  @Test
  void crlfEscapesAndALastLineWithoutNewlineAreCounted() throws Exception {
    Path file = zone("a TXT \"x\\\" ( ;\"\r\nb A 10.0.0.1 ; ( \r\n"
        + "c TXT ( \"y\"\r\n  \"z\" )\r\n$GENERATE 1-4 g$ A 10.0.0.$\rd A 10.0.0.2");
    ZoneMemory.Estimate e = ZoneMemory.estimate(file);
    assertEquals(3 + 4 + 4, e.records());
    assertEquals(11, e.largestGenerateLine());
  }

  /** The red-team's 124-byte file, grown to six million generated records. */
  @Test
  void aHugeGenerateIsRefusedAtItsLine() throws Exception {
    Path file = zone("x TXT x\n$GENERATE 1-6000000 host$ A 10.0.0.1\n");
    ZoneMemory memory = new ZoneMemory(512L << 20, 0);
    ConfigError e = assertThrows(ConfigError.class, () -> memory.admit(file));
    assertEquals(file + ":8: about 6,000,004 records (most from the $GENERATE here) would need"
        + " about 858 MiB of heap to load, with 448 MiB left of the 512 MiB maximum; refused"
        + " before loading. Raise -Xmx or split the data", e.getMessage());
  }

  /** The served data stays in memory until the swap: it counts against the new data. */
  @Test
  void theDataServedNowLeavesLessRoom() throws Exception {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      body.append('h').append(i).append(" A 10.0.0.1\n");
    }
    Path file = zone(body.toString()); // about 3 MiB to load
    long heap = 512L << 20; // 448 MiB beside the reserve
    new ZoneMemory(heap, 0).admit(file);
    new ZoneMemory(heap, 7_000_000).admit(file); // 427 MiB served: 21 MiB left
    ConfigError e = assertThrows(ConfigError.class,
        () -> new ZoneMemory(heap, 7_300_000).admit(file)); // 446 MiB served: 2 MiB left
    assertTrue(e.getMessage().startsWith(file + ": about 20,003 records (by line count)"),
        e.getMessage());
  }

  /** A small container's heap keeps a quarter for the rest, not a fixed 64 MiB it lacks. */
  @Test
  void aSmallHeapStillLoadsASmallZone() throws Exception {
    Path file = zone("www A 192.0.2.7\n");
    new ZoneMemory(48L << 20, 0).admit(file);
  }

  /** End to end: the reload is refused, counted and reported, and the old data keeps serving. */
  @Test
  void aReloadThatWouldNotFitKeepsTheOldDataAndSaysWhy() throws Exception {
    try (TestServer s = TestServer.in(dir).file("example.test.zone", TestZones.EXAMPLE)
        .set("reload.watch", false).start()) {
      assertEquals(Rcode.NOERROR, s.client().tcp("www.example.test.", Type.A).getRcode());
      Path bomb = Files.writeString(dir.resolve("bomb.test.zone"), "$ORIGIN bomb.test.\n"
          + "@ 60 SOA ns1 h 1 1 1 1 1\n$GENERATE 1-2000000000 h$ 60 A 10.0.0.1\n");
      var status = s.server().reload();
      assertEquals(false, status.ok());
      assertTrue(status.error().startsWith(bomb + ":3: about 2,000,000,001 records"),
          status.error());
      assertTrue(s.server().metrics().render()
          .contains("dnslb_config_reloads_total{result=\"failed\"} 1"));
      assertEquals(Rcode.NOERROR, s.client().tcp("www.example.test.", Type.A).getRcode());
    }
  }
}
