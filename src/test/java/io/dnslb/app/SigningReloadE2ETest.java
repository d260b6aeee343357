package io.dnslb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.dnssec.Algorithms;
import io.dnslb.dnssec.KeyFiles;
import io.dnslb.testing.DnsClient;
import io.dnslb.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Signing is switched on by a reload (the watcher sees .dnssec.conf files), and a signed zone
 * whose key goes missing keeps serving its old, signed data with the error reported.
 */
class SigningReloadE2ETest {
  @TempDir Path dir;

  @Test
  void reloadSignsAndABrokenKeyKeepsTheOldData() throws Exception {
    String zone = "$ORIGIN r.test.\n@ 300 SOA ns hm 1 3600 600 86400 60\n@ 300 NS ns\n"
        + "ns 300 A 192.0.2.1\n";
    try (TestServer s = TestServer.in(dir).file("r.test.zone", zone).start()) {
      assertEquals(1, sectionSize(s, true));
      Path key = KeyFiles.generate(dir.resolve("keys"), Name.fromString("r.test."),
          Algorithms.ECDSAP256SHA256, true, 3600, Instant.now());
      Files.writeString(dir.resolve("r.test.dnssec.conf"), "dnssec { keys = keys }\n");
      assertTrue(s.server().reload().ok(), s.server().lastReload().error());
      assertEquals(2, sectionSize(s, true)); // A + RRSIG
      assertEquals(1, sectionSize(s, false)); // without DO: as before

      Path priv = key.resolveSibling(key.getFileName().toString().replace(".key", ".private"));
      Files.delete(priv);
      ReloadStatus failed = s.server().reload();
      assertFalse(failed.ok());
      assertEquals(priv + ": missing: the private key for " + key, failed.error());
      assertEquals(2, sectionSize(s, true));
    }
    assertTrue(DirectoryWatcher.relevant(Path.of("r.test.dnssec.conf")));
  }

  private static int sectionSize(TestServer s, boolean dnssec) throws Exception {
    Message q = DnsClient.edns(DnsClient.query("ns.r.test.", Type.A), 1232,
        dnssec ? ExtendedFlags.DO : 0);
    for (int i = 0; ; i++) {
      try {
        return s.client().udp(q).getSection(Section.ANSWER).size();
      } catch (java.net.SocketTimeoutException e) {
        if (i == 4) {
          throw e; // first answers on a loaded machine may outlast the client's second
        }
      }
    }
  }
}
