package io.dnslb.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.answer.Catalog;
import io.dnslb.testing.DnsClient;
import io.dnslb.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Signatures are re-made `refresh` (7 days) before they expire, while serving: not earlier, and
 * then for static and pooled sets alike, and the answers (fast path and answer cache included)
 * carry the new ones at once.
 */
class ResignE2ETest {
  @TempDir Path dir;

  @Test
  void signaturesAreRefreshedBeforeTheyExpire() throws Exception {
    SignedZones.write(dir, Algorithms.ED25519);
    DNSKEYRecord key = SignedZones.parentKey(dir);
    Instant start = Instant.now();
    try (TestServer server = TestServer.in(dir).start()) {
      RRSIGRecord staticBefore = sig(server, "static.signed.example.", Type.A);
      RRSIGRecord poolBefore = sig(server, "www.signed.example.", Type.A);
      assertTrue(Duration.between(start, staticBefore.getExpire()).toDays() >= 13);

      Catalog loaded = server.server().catalog();
      server.server().refreshSignatures(start.plus(Duration.ofDays(6)));
      assertSame(loaded, server.server().catalog(), "re-signed 8 days before expiry");

      Instant later = start.plus(Duration.ofDays(7)).plus(Duration.ofMinutes(1));
      server.server().refreshSignatures(later);
      assertNotSame(loaded, server.server().catalog());
      for (String name : new String[] {"static.signed.example.", "www.signed.example."}) {
        Message m = answer(server, name, Type.A);
        RRset set = m.getSectionRRsets(Section.ANSWER).get(0);
        RRSIGRecord sig = set.sigs().get(0);
        assertTrue(sig.getExpire().isAfter(later.plus(Duration.ofDays(13))), sig.toString());
        DNSSEC.verify(set, sig, key, later);
      }
      assertTrue(sig(server, "static.signed.example.", Type.A).getExpire()
          .isAfter(staticBefore.getExpire()));
      assertTrue(sig(server, "www.signed.example.", Type.A).getExpire()
          .isAfter(poolBefore.getExpire()));
      assertTrue(server.server().catalog().signing().cacheStats()[2] >= 1);
    }
  }

  private static Message answer(TestServer server, String name, int type) throws Exception {
    for (int i = 0; ; i++) {
      try {
        return server.client().udp(DnsClient.edns(DnsClient.query(name, type), 1232,
            ExtendedFlags.DO));
      } catch (java.net.SocketTimeoutException e) {
        if (i == 4) {
          throw e; // a first answer on a loaded machine may take over the client's second
        }
      }
    }
  }

  private static RRSIGRecord sig(TestServer server, String name, int type) throws Exception {
    return answer(server, name, type).getSectionRRsets(Section.ANSWER).get(0).sigs().get(0);
  }
}
