package io.dnslb.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.pool.PoolRuntime;
import io.dnslb.testing.DnsClient;
import io.dnslb.testing.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Signed answers over real sockets, each signature checked with dnsjava's verifier against the
 * zone's DNSKEY: static sets, pooled sets per member set, compact denial for missing names and
 * types, delegations with and without DS; and the answers without DO unchanged.
 */
class SignedAnswersE2ETest {
  @TempDir static Path dir;
  static TestServer server;
  static DNSKEYRecord key;

  @BeforeAll
  static void start() throws Exception {
    SignedZones.write(dir, Algorithms.ECDSAP256SHA256);
    key = SignedZones.parentKey(dir);
    server = TestServer.in(dir).start();
    // The first answers load classes (crypto, dnsjava's signer); on a busy machine that can
    // outlast the client's one-second wait, which is not what these tests are about.
    for (int i = 0; i < 5; i++) {
      try {
        dnssec("static.signed.example.", Type.A);
        break;
      } catch (java.net.SocketTimeoutException e) {
        // try again
      }
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Message dnssec(String name, int type) throws Exception {
    return server.client().udp(DnsClient.edns(DnsClient.query(name, type), 1232,
        ExtendedFlags.DO));
  }

  /** Every RRset of a section (RRSIGs apart) verified by one of its RRSIGs with our key. */
  static void assertSigned(Message m, int section, DNSKEYRecord k) throws Exception {
    List<RRset> sets = m.getSectionRRsets(section);
    assertFalse(sets.isEmpty(), "nothing in section " + section + ":\n" + m);
    for (RRset set : sets) {
      if (set.getType() == Type.OPT) {
        continue;
      }
      assertFalse(set.sigs().isEmpty(), "unsigned " + set + "\n" + m);
      for (RRSIGRecord sig : set.sigs()) {
        DNSSEC.verify(set, sig, k);
      }
    }
  }

  @Test
  void staticAnswersCarryValidSignaturesOnlyWithDo() throws Exception {
    Message m = dnssec("static.signed.example.", Type.A);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertSigned(m, Section.ANSWER, key);
    Message plain = server.client().udp("static.signed.example.", Type.A);
    assertEquals(1, plain.getSection(Section.ANSWER).size(), plain.toString());
    Message ednsNoDo = server.client().udp(DnsClient.edns(
        DnsClient.query("static.signed.example.", Type.A), 1232, 0));
    assertEquals(1, ednsNoDo.getSection(Section.ANSWER).size(), ednsNoDo.toString());
  }

  @Test
  void apexPublishesSignedDnskeyCdsAndCdnskey() throws Exception {
    Message m = dnssec("signed.example.", Type.DNSKEY);
    assertSigned(m, Section.ANSWER, key);
    assertEquals(key.getFootprint(),
        ((DNSKEYRecord) m.getSection(Section.ANSWER).get(0)).getFootprint());
    assertSigned(dnssec("signed.example.", Type.CDS), Section.ANSWER, key);
    assertSigned(dnssec("signed.example.", Type.CDNSKEY), Section.ANSWER, key);
  }

  @Test
  void missingNameIsASignedNodataWithNxnameWithDoAndNxdomainWithout() throws Exception {
    Message m = dnssec("nope.signed.example.", Type.A);
    assertEquals(Rcode.NOERROR, m.getRcode(), m.toString());
    assertSigned(m, Section.AUTHORITY, key);
    NSECRecord nsec = nsec(m);
    assertEquals(Name.fromString("nope.signed.example."), nsec.getName());
    assertEquals(Name.fromString("\\000.nope.signed.example."), nsec.getNext());
    assertTrue(nsec.hasType(ZoneSigner.NXNAME) && nsec.hasType(Type.NSEC)
        && nsec.hasType(Type.RRSIG) && !nsec.hasType(Type.A), nsec.toString());
    assertEquals(Rcode.NXDOMAIN, server.client().udp("nope.signed.example.", Type.A).getRcode());
  }

  @Test
  void nodataListsTheTypesThatExist() throws Exception {
    Message m = dnssec("static.signed.example.", Type.MX);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertSigned(m, Section.AUTHORITY, key);
    NSECRecord nsec = nsec(m);
    assertTrue(nsec.hasType(Type.A) && nsec.hasType(Type.AAAA) && nsec.hasType(Type.TXT)
        && !nsec.hasType(Type.MX) && !nsec.hasType(ZoneSigner.NXNAME), nsec.toString());
    NSECRecord ent = nsec(dnssec("b.c.signed.example.", Type.TXT));
    assertFalse(ent.hasType(ZoneSigner.NXNAME) || ent.hasType(Type.TXT), ent.toString());
    NSECRecord pool = nsec(dnssec("api.signed.example.", Type.AAAA));
    assertTrue(pool.hasType(Type.A) && !pool.hasType(Type.AAAA), pool.toString());
    // A pool of pools has no addresses of its own: its A comes from its sites.
    Message sites = dnssec("sites.signed.example.", Type.AAAA);
    assertEquals(Rcode.NOERROR, sites.getRcode(), sites.toString());
    NSECRecord ofSites = nsec(sites);
    assertTrue(ofSites.hasType(Type.A) && !ofSites.hasType(Type.AAAA), ofSites.toString());
  }

  /** Asked for NSEC, the name's NSEC is the answer (a NODATA would deny with an NSEC bit set). */
  @Test
  void anExplicitNsecQueryGetsTheNsecAsTheAnswer() throws Exception {
    Message m = dnssec("static.signed.example.", Type.NSEC);
    assertEquals(Rcode.NOERROR, m.getRcode(), m.toString());
    assertSigned(m, Section.ANSWER, key);
    NSECRecord nsec = (NSECRecord) m.getSection(Section.ANSWER).get(0);
    assertTrue(nsec.hasType(Type.A) && nsec.hasType(Type.TXT) && nsec.hasType(Type.NSEC),
        nsec.toString());
    assertTrue(m.getSection(Section.AUTHORITY).isEmpty(), m.toString());
  }

  @Test
  void wildcardAnswersAreSignedAsTheNameAsked() throws Exception {
    Message m = dnssec("x.wild.signed.example.", Type.A);
    assertSigned(m, Section.ANSWER, key);
    RRSIGRecord sig = (RRSIGRecord) m.getSection(Section.ANSWER).get(1);
    assertEquals(4, sig.getLabels()); // x.wild.signed.example: no wildcard proof needed
  }

  @Test
  void pooledSetsAreSignedPerMemberSetAndFollowHealth() throws Exception {
    PoolRuntime api = (PoolRuntime) server.server().catalog().pool(
        Name.fromString("api.signed.example."));
    for (int flip = 0; flip < 6; flip++) {
      SignedZones.health(server, api, 1, flip % 2 == 1);
      Message m = dnssec("api.signed.example.", Type.A);
      assertSigned(m, Section.ANSWER, key);
      assertEquals(flip % 2 == 1 ? 3 : 2, m.getSection(Section.ANSWER).size() - 1, m.toString());
    }
    SignedZones.health(server, api, 1, true);
    assertSigned(dnssec("www.signed.example.", Type.AAAA), Section.ANSWER, key);
    assertSigned(dnssec("towww.signed.example.", Type.A), Section.ANSWER, key);
    String metrics = server.server().metrics().render();
    assertTrue(metrics.contains("dnslb_dnssec_signature_cache_requests_total{result=\"hit\"}"),
        metrics);
  }

  @Test
  void anAnswerFromASiteIsSignedOverTheSitesAddressesWithItsTtl() throws Exception {
    PoolRuntime siteA = (PoolRuntime) server.server().catalog().pools().all().stream()
        .filter(p -> p.id().equals("site-a")).findFirst().orElseThrow();
    for (int round = 0; round < 2; round++) { // the second round is the signature cache's
      Message m = dnssec("sites.signed.example.", Type.A);
      assertSigned(m, Section.ANSWER, key);
      org.xbill.DNS.RRset set = m.getSectionRRsets(Section.ANSWER).get(0);
      assertEquals(7, set.getTTL(), m.toString());
      assertTrue(set.rrs(false).stream().allMatch(r -> r.rdataToString().startsWith("203.0.113.")
          && !r.rdataToString().equals("203.0.113.9")), m.toString());
    }
    SignedZones.health(server, siteA, 0, false);
    SignedZones.health(server, siteA, 1, false);
    try {
      Message m = dnssec("sites.signed.example.", Type.A);
      assertSigned(m, Section.ANSWER, key);
      assertEquals("203.0.113.9",
          m.getSection(Section.ANSWER).get(0).rdataToString(), m.toString());
    } finally {
      SignedZones.health(server, siteA, 0, true);
      SignedZones.health(server, siteA, 1, true);
    }
  }

  /**
   * ttl = auto: the set is signed once with the configured 60 s (the RRSIG's original TTL) and
   * served, records and RRSIG alike, with the lower auto TTL; the fast path (a plain DO query)
   * and the general path (ECS, which the fast parser declines) serve the same signature.
   */
  @Test
  void anAutoTtlSetIsSignedWithTheConfiguredTtlAndServedWithTheAutoOneOnBothPaths()
      throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L; // first probes on a busy machine
    Message fast = dnssec("auto.signed.example.", Type.A);
    while (fast.getSection(Section.ANSWER).get(0).getTTL() >= 60 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      fast = dnssec("auto.signed.example.", Type.A);
    }
    Message general = server.client().udp(DnsClient.edns(
        DnsClient.query("auto.signed.example.", Type.A), 1232, ExtendedFlags.DO,
        new org.xbill.DNS.ClientSubnetOption(24, java.net.InetAddress.getByName("198.51.100.0"))));
    for (Message m : List.of(fast, general)) {
      assertSigned(m, Section.ANSWER, key);
      RRset set = m.getSectionRRsets(Section.ANSWER).get(0);
      RRSIGRecord sig = set.sigs().get(0);
      assertTrue(set.getTTL() < 60, "served the auto TTL: " + m);
      assertEquals(set.getTTL(), sig.getTTL(), "an RRSIG's TTL is its set's (RFC 4034 §3)\n" + m);
      assertEquals(60, sig.getOrigTTL(), "signed with the configured TTL\n" + m);
    }
    assertTrue(java.util.Arrays.equals(
        fast.getSectionRRsets(Section.ANSWER).get(0).sigs().get(0).getSignature(),
        general.getSectionRRsets(Section.ANSWER).get(0).sigs().get(0).getSignature()),
        "one signature for the set on both paths\n" + fast + "\n" + general);
  }

  @Test
  void oneMemberPooledAnswerWithItsSignatureFitsIn512() throws Exception {
    Message m = server.client().udp(DnsClient.edns(
        DnsClient.query("www.signed.example.", Type.A), 512, ExtendedFlags.DO));
    assertFalse(m.getHeader().getFlag(Flags.TC), m.toString());
    assertSigned(m, Section.ANSWER, key);
    assertTrue(m.toWire().length <= 512);
  }

  @Test
  void tooLargeForUdpIsTruncatedByWholeRrsetsWithTc() throws Exception {
    Message big = dnssec("many.signed.example.", Type.A);
    assertFalse(big.getHeader().getFlag(Flags.TC));
    assertSigned(big, Section.ANSWER, key);
    Message cut = server.client().udp(DnsClient.edns(
        DnsClient.query("many.signed.example.", Type.A), 512, ExtendedFlags.DO));
    assertTrue(cut.getHeader().getFlag(Flags.TC), cut.toString());
    // Whatever came is whole: no address set without its signature, no half set.
    for (RRset set : cut.getSectionRRsets(Section.ANSWER)) {
      assertEquals(30, set.size(), cut.toString());
      assertFalse(set.sigs().isEmpty(), cut.toString());
    }
    Message tcp = server.client().tcp(DnsClient.edns(
        DnsClient.query("many.signed.example.", Type.A), 512, ExtendedFlags.DO));
    assertSigned(tcp, Section.ANSWER, key);
  }

  @Test
  void delegationsCarryTheirDsOrTheProofThatThereIsNone() throws Exception {
    Message secure = dnssec("x.secure.signed.example.", Type.DS);
    // The child zone is ours too, so its own data answers; ask the parent side for the cut.
    Message ds = dnssec("secure.signed.example.", Type.DS);
    assertEquals(Rcode.NOERROR, ds.getRcode());
    assertSigned(ds, Section.ANSWER, key);
    Message noDs = dnssec("insecure.signed.example.", Type.DS);
    NSECRecord nsec = nsec(noDs);
    assertTrue(nsec.hasType(Type.NS) && !nsec.hasType(Type.DS) && !nsec.hasType(Type.SOA),
        nsec.toString());
    assertSigned(noDs, Section.AUTHORITY, key);
    assertNotNull(secure);
  }

  @Test
  void cnameChainsAreSignedHopByHop() throws Exception {
    Message m = dnssec("chain.signed.example.", Type.A);
    assertSigned(m, Section.ANSWER, key);
    List<Integer> types = new ArrayList<>();
    for (Record r : m.getSection(Section.ANSWER)) {
      types.add(r.getType());
    }
    assertEquals(List.of(Type.CNAME, Type.RRSIG, Type.CNAME, Type.RRSIG, Type.A, Type.RRSIG),
        types);
  }

  static NSECRecord nsec(Message m) {
    for (Record r : m.getSection(Section.AUTHORITY)) {
      if (r instanceof NSECRecord n) {
        return n;
      }
    }
    throw new AssertionError("no NSEC in\n" + m);
  }
}
