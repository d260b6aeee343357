package io.dnslb.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dnslb.answer.Catalog;
import io.dnslb.app.CatalogLoader;
import io.dnslb.zone.Zone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * KSK + ZSK: the key set is signed by the KSK, everything else by the ZSK; a key published but
 * not yet active is in the DNSKEY set and signs nothing (the first step of a rollover); glue and
 * the NS at a cut are not signed.
 */
class KskZskTest {
  static final Name ZONE = Name.fromConstantString("k.test.");
  @TempDir Path dir;

  @Test
  void keySetByKskDataByZskPrePublishedKeySignsNothing() throws Exception {
    Path keys = dir.resolve("keys");
    Instant now = Instant.now();
    SigningKey ksk = read(KeyFiles.generate(keys, ZONE, 13, true, 3600, now));
    SigningKey zsk = read(KeyFiles.generate(keys, ZONE, 13, false, 3600, now));
    Path next = KeyFiles.generate(keys, ZONE, 15, false, 3600, now);
    Path nextPriv = next.resolveSibling(next.getFileName().toString().replace(".key", ".private"));
    Files.writeString(nextPriv, Files.readString(nextPriv)
        .replaceFirst("Activate: \\d+", "Activate: 20991231000000"));
    Files.writeString(dir.resolve("k.test.zone"), """
        $ORIGIN k.test.
        $TTL 300
        @ SOA ns hm 1 3600 600 86400 60
        @ NS ns
        ns A 192.0.2.1
        sub NS ns.sub
        ns.sub A 192.0.2.2
        """);
    Files.writeString(dir.resolve("k.test.dnssec.conf"), "dnssec { keys = keys }\n");
    Catalog c = CatalogLoader.load(dir, now);
    Zone z = c.zones().find(ZONE);
    ZoneSigner signer = c.signing().of(ZONE);
    RRset dnskey = z.lookup(ZONE).rrset(Type.DNSKEY);
    assertEquals(3, dnskey.size()); // the pre-published key is in the set
    assertEquals(List.of(ksk.tag()), tags(signer.staticSigs(dnskey)));
    RRset a = z.lookup(Name.fromString("ns.k.test.")).rrset(Type.A);
    assertEquals(List.of(zsk.tag()), tags(signer.staticSigs(a)));
    DNSSEC.verify(a, signer.staticSigs(a)[0], zsk.dnskey());
    DNSSEC.verify(dnskey, signer.staticSigs(dnskey)[0], ksk.dnskey());
    assertEquals(1, z.lookup(ZONE).rrset(Type.CDS).size()); // only the KSK goes to the parent
    assertNull(signer.staticSigs(z.lookup(Name.fromString("sub.k.test.")).rrset(Type.NS)));
    assertNull(signer.staticSigs(z.lookup(Name.fromString("ns.sub.k.test.")).rrset(Type.A)));
  }

  private SigningKey read(Path keyFile) throws Exception {
    return KeyFiles.read(keyFile, ZONE);
  }

  private static List<Integer> tags(RRSIGRecord[] sigs) {
    return java.util.Arrays.stream(sigs).map(RRSIGRecord::getFootprint).toList();
  }
}
