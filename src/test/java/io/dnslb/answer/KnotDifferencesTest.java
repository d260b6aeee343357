package io.dnslb.answer;

import static io.dnslb.testing.Answers.section;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.DnsClient;
import io.dnslb.testing.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The four ways dnslb answered differently from Knot in a randomized comparison, each now as the
 * RFCs (and Knot) have it, over real UDP.
 */
class KnotDifferencesTest {
  private static final int NAME_SERVERS = 9;

  @TempDir static Path dir;
  static TestServer server;
  static DnsClient dns;

  @BeforeAll
  static void start() throws Exception {
    List<String> zone = new ArrayList<>(List.of(
        "$ORIGIN rfc.test.", "$TTL 300",
        "@ SOA ns hostmaster 1 7200 900 1209600 300", "@ NS ns", "ns A 192.0.2.1",
        "tochild CNAME www.big", "alias CNAME target", "target A 192.0.2.5",
        "mx MX 10 host.wild", "_sip._tcp SRV 0 0 5060 sip.wild", "*.wild A 192.0.2.99"));
    // Nine in-domain name servers with an A and an AAAA each: 396 bytes of glue, which with the
    // NS records does not fit a 512-byte response.
    for (int i = 1; i <= NAME_SERVERS; i++) {
      zone.add("big NS ns" + i + ".big");
      zone.add("ns" + i + ".big A 192.0.2." + (10 + i));
      zone.add("ns" + i + ".big AAAA 2001:db8::" + (10 + i));
    }
    server = TestServer.in(dir).file("rfc.test.zone", String.join("\n", zone) + "\n").start();
    dns = server.client();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aReferralWhoseInDomainGlueDoesNotFitSaysTruncated() throws Exception {
    Message small = dns.udp("www.big.rfc.test.", Type.A); // no EDNS: 512 bytes
    assertTrue(small.getHeader().getFlag(Flags.TC), "RFC 9471 §3.1: all in-domain glue, or TC");
    assertEquals(NAME_SERVERS, small.getSection(Section.AUTHORITY).size());

    Message large = dns.udp(DnsClient.edns(DnsClient.query("www.big.rfc.test.", Type.A), 1232, 0));
    assertFalse(large.getHeader().getFlag(Flags.TC));
    assertEquals(2 * NAME_SERVERS + 1, large.getSection(Section.ADDITIONAL).size(), "glue + OPT");
    Message tcp = dns.tcp("www.big.rfc.test.", Type.A);
    assertFalse(tcp.getHeader().getFlag(Flags.TC));
  }

  @Test
  void aCnameChainEndingInAReferralKeepsAa() throws Exception {
    Message m = dns.udp(DnsClient.edns(DnsClient.query("tochild.rfc.test.", Type.A), 1232, 0));
    assertTrue(m.getHeader().getFlag(Flags.AA), "RFC 1035 §4.1.1: AA is about the CNAME");
    assertEquals(List.of("tochild.rfc.test. 300 CNAME www.big.rfc.test."),
        section(m, Section.ANSWER));
    assertEquals(NAME_SERVERS, m.getSection(Section.AUTHORITY).size());
    Message direct = dns.udp("www.big.rfc.test.", Type.A);
    assertFalse(direct.getHeader().getFlag(Flags.AA), "a plain referral is not authoritative");
  }

  @Test
  void anyAtACnameAnswersTheCnameAndStops() throws Exception {
    Message m = dns.udp("alias.rfc.test.", Type.ANY);
    assertEquals(List.of("alias.rfc.test. 300 CNAME target.rfc.test."), section(m, Section.ANSWER),
        "RFC 1034 §4.3.2 step 3a: ANY matches CNAME");
  }

  @Test
  void mxAndSrvTargetsThroughAWildcardGetAddresses() throws Exception {
    Message mx = dns.udp("mx.rfc.test.", Type.MX);
    assertEquals(List.of("host.wild.rfc.test. 300 A 192.0.2.99"), addresses(mx));
    Message srv = dns.udp("_sip._tcp.rfc.test.", Type.SRV);
    assertEquals(List.of("sip.wild.rfc.test. 300 A 192.0.2.99"), addresses(srv));
  }

  private static List<String> addresses(Message m) {
    List<String> out = new ArrayList<>();
    for (Record r : m.getSection(Section.ADDITIONAL)) {
      if (r.getType() == Type.A || r.getType() == Type.AAAA) {
        out.add(io.dnslb.testing.Answers.line(r));
      }
    }
    return out;
  }
}
