package io.dnslb.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.app.CatalogLoader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * The cache of signatures made on the fly keeps to {@code signature-cache} at every moment:
 * its maintenance runs on the signing thread, not on ForkJoinPool.commonPool (whose wake-ups
 * preempt the event loop on a server pinned to few cores), so an eviction is done when the
 * lookup returns. A repeated set is a hit, the same signature object.
 */
class SignatureCacheTest {
  static final Name ZONE = Name.fromConstantString("c.test.");
  @TempDir Path dir;

  @Test
  void boundHoldsAfterEveryLookupAndRepeatsHit() throws Exception {
    KeyFiles.generate(dir.resolve("keys"), ZONE, Algorithms.ECDSAP256SHA256, true, 3600,
        Instant.now());
    Files.writeString(dir.resolve("c.test.zone"), """
        $ORIGIN c.test.
        $TTL 300
        @ SOA ns hm 1 3600 600 86400 60
        @ NS ns
        ns A 192.0.2.1
        """);
    Files.writeString(dir.resolve("c.test.dnssec.conf"),
        "dnssec { keys = keys, signature-cache = 3 }\n");
    ZoneSigner signer = CatalogLoader.load(dir, Instant.now()).signing().of(ZONE);
    Name www = Name.fromConstantString("www.c.test.");
    for (int i = 0; i < 40; i++) {
      RRset set = new RRset(new ARecord(www, DClass.IN, 60,
          InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) (10 + i)})));
      RRSIGRecord[] sigs = signer.dynamicSigs(set);
      assertTrue(signer.cacheSize() <= 3, "after set " + i + ": " + signer.cacheSize());
      if (i == 0) {
        assertSame(sigs, signer.dynamicSigs(set), "a repeated set hits");
      }
    }
    assertEquals(40, signer.cacheMisses());
  }
}
