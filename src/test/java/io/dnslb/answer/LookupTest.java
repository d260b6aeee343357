package io.dnslb.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.answer.LookupResult.ChainEnd;
import io.dnslb.answer.LookupResult.Extra;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolAnswer;
import io.dnslb.pool.Pools;
import io.dnslb.wire.ClientSubnet;
import io.dnslb.wire.Query;
import io.dnslb.wire.QueryDecoder;
import io.dnslb.zone.Zone;
import io.dnslb.zone.ZoneLoader;
import io.dnslb.zone.ZoneSet;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The lookup's decisions, one RFC rule at a time, without a socket: RFC 1034 §4.3.2's steps,
 * RFC 4592 wildcards, RFC 2308 negative answers, delegations (RFC 4035 §3.1.4.1 for DS), CNAME
 * chains. What is written for each is the end-to-end tests' business; a few writer rules that
 * follow from the result (the SOA of a negative answer, AA) are checked through
 * {@link Responder#respond} on a decoded query, still without a socket.
 */
class LookupTest {
  static final String EXAMPLE = String.join("\n",
      "$ORIGIN example.test.",
      "$TTL 3600",
      "@        SOA   ns1 hostmaster ( 42 7200 900 1209600 300 )",
      "@        NS    ns1",
      "ns1      A     192.0.2.1",
      "ns1      AAAA  2001:db8::1",
      "mail     A     192.0.2.25",
      "www      A     192.0.2.80",
      "www      TXT   \"hello\"",
      "alias    CNAME www",
      "chain1   CNAME chain2",
      "chain2   CNAME alias",
      "loop1    CNAME loop2",
      "loop2    CNAME loop1",
      "out      CNAME www.elsewhere.example.",
      "toother  CNAME host.other.test.",
      "tosub    CNAME host.sub",
      "tonx     CNAME missing",
      "mx       MX    10 mail",
      "mx       MX    20 m.wild",              // exists only through *.wild
      "mx       MX    30 mx.elsewhere.example.", // not ours: no additional
      "mx       MX    40 host.sub",            // below a cut: not ours to give
      "a.b.c    A     192.0.2.3",              // b.c and c are empty non-terminals
      "*.wild   A     192.0.2.99",
      "exists.wild A  192.0.2.98",
      "x.y.wild A     192.0.2.97",             // y.wild is an ENT: blocks the wildcard
      "*.cw     CNAME www",
      "sub      NS    ns.sub",
      "sub      NS    ns1",                    // sibling glue: in the zone, above the cut
      "sub      NS    ns.elsewhere.example.",
      "sub      DS    12345 8 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE8B4D6E5A3F7A59B9D2D84F16",
      "ns.sub   A     192.0.2.53",
      "*.sub    A     192.0.2.54",              // below the cut: occluded, never synthesised
      "deep     NS    ns1",                    // delegated to a zone this server also serves
      "big      NS    ns1.big",                // nine in-domain servers: glue beyond 512 bytes
      "big      NS    ns2.big", "big NS ns3.big", "big NS ns4.big", "big NS ns5.big",
      "big      NS    ns6.big", "big NS ns7.big", "big NS ns8.big", "big NS ns9.big",
      "ns1.big A 192.0.2.101", "ns1.big AAAA 2001:db8::101", "ns2.big A 192.0.2.102",
      "ns2.big AAAA 2001:db8::102", "ns3.big A 192.0.2.103", "ns3.big AAAA 2001:db8::103",
      "ns4.big A 192.0.2.104", "ns4.big AAAA 2001:db8::104", "ns5.big A 192.0.2.105",
      "ns5.big AAAA 2001:db8::105", "ns6.big A 192.0.2.106", "ns6.big AAAA 2001:db8::106",
      "ns7.big A 192.0.2.107", "ns7.big AAAA 2001:db8::107", "ns8.big A 192.0.2.108",
      "ns8.big AAAA 2001:db8::108", "ns9.big A 192.0.2.109", "ns9.big AAAA 2001:db8::109",
      "");
  static final String OTHER = String.join("\n",
      "$ORIGIN other.test.",
      "@     3600 SOA ns hostmaster 1 7200 900 1209600 600",
      "@     3600 NS  ns",
      "ns    3600 A   198.51.100.2",
      "host  3600 A   198.51.100.7",
      "*     3600 TXT \"apex wildcard\"",
      "kid   3600 NS  ns.kid",
      "ns.kid 3600 A  198.51.100.9",
      "");
  static final String DEEP = String.join("\n",
      "$ORIGIN deep.example.test.",
      "@     60 SOA ns hostmaster 1 7200 900 1209600 30",
      "@     60 NS  ns1.example.test.",
      "host  60 A   203.0.113.9",
      "");

  static final Name LB = name("lb.example.test.");
  static final Name EMPTY_LB = name("empty.example.test.");
  static final Name DOWN_LB = name("down.example.test.");
  static final ClientSubnet CLIENT =
      new ClientSubnet(1, new byte[] {(byte) 198, 51, 100, 1}, 24, true);

  static Catalog catalog;
  static CountingPool lb;
  static Zone example;
  static Zone other;
  static Zone deep;

  /** A pool that answers what it is given, and counts how often its selector was asked. */
  static final class CountingPool implements Pool {
    final List<Record> records;
    final boolean servfail;
    int asked;

    CountingPool(List<Record> records, boolean servfail) {
      this.records = records;
      this.servfail = servfail;
    }

    @Override
    public String id() {
      return "test";
    }

    @Override
    public PoolAnswer answer(Name qname, int qtype, ClientSubnet client) {
      asked++;
      return new PoolAnswer(servfail, qtype == Type.A ? records : List.of(), 24);
    }
  }

  @BeforeAll
  static void load(@TempDir Path dir) throws Exception {
    example = zone(dir, "example.test.zone", EXAMPLE);
    other = zone(dir, "other.test.zone", OTHER);
    deep = zone(dir, "deep.example.test.zone", DEEP);
    lb = new CountingPool(List.of(
        new ARecord(LB, DClass.IN, 30, InetAddress.getByName("192.0.2.10")),
        new ARecord(LB, DClass.IN, 30, InetAddress.getByName("192.0.2.11"))), false);
    CountingPool empty = new CountingPool(List.of(), false);
    CountingPool down = new CountingPool(List.of(), true);
    Pools pools = new Pools(List.of(lb, empty, down),
        Map.of(LB, lb, EMPTY_LB, empty, DOWN_LB, down));
    catalog = Catalog.of(new ZoneSet(List.of(example, other, deep)), pools,
        List.of(LB, EMPTY_LB, DOWN_LB));
  }

  private static Zone zone(Path dir, String file, String text) throws Exception {
    Path p = dir.resolve(file);
    Files.writeString(p, text);
    return ZoneLoader.load(p);
  }

  static Name name(String s) {
    return Name.fromConstantString(s);
  }

  private static LookupResult find(String qname, int qtype) {
    return find(8, qname, qtype);
  }

  private static LookupResult find(int maxChain, String qname, int qtype) {
    return new Lookup(maxChain, ChaosAnswers.none())
        .find(catalog, name(qname), qtype, DClass.IN, CLIENT);
  }

  private static String zoneOf(LookupResult r) {
    if (r instanceof LookupResult.Exact e) {
      return e.zone().origin().toString();
    }
    if (r instanceof LookupResult.NoData n) {
      return n.zone().origin().toString();
    }
    if (r instanceof LookupResult.NxDomain n) {
      return n.zone().origin().toString();
    }
    if (r instanceof LookupResult.Delegation d) {
      return d.zone().origin().toString();
    }
    throw new AssertionError(r.toString());
  }

  // RFC 1034 §4.3.2 step 2: the nearest zone, or none.

  @Test
  void aNameInNoneOfOurZonesIsRefusedAsNotAuthoritative() {
    assertEquals(new LookupResult.Refused(true), find("www.elsewhere.example.", Type.A));
    assertEquals(new LookupResult.Refused(true), find("test.", Type.SOA), "above our zones");
  }

  @Test
  void theDeepestZoneAnswers() {
    assertEquals("deep.example.test.", zoneOf(find("host.deep.example.test.", Type.A)));
    assertEquals("example.test.", zoneOf(find("www.example.test.", Type.A)));
  }

  // Step 3a: the name exists.

  @Test
  void anExactMatchAnswersItsRrset() {
    LookupResult.Exact e = assertInstanceOf(LookupResult.Exact.class,
        find("www.example.test.", Type.A));
    assertEquals(Type.A, e.set().getType());
    assertEquals(name("www.example.test."), e.owner());
    assertEquals(List.of(), e.additional());
  }

  @Test
  void anExistingNameWithoutTheTypeIsNodata() {
    LookupResult.NoData n = assertInstanceOf(LookupResult.NoData.class,
        find("www.example.test.", Type.AAAA));
    assertEquals(name("www.example.test."), n.owner());
  }

  @Test
  void anEmptyNonTerminalIsNodataNotNxdomain() {
    assertInstanceOf(LookupResult.NoData.class, find("b.c.example.test.", Type.A));
    assertInstanceOf(LookupResult.NoData.class, find("c.example.test.", Type.TXT));
  }

  @Test
  void aCnameRestartsAtItsTarget() {
    LookupResult.Cname c = assertInstanceOf(LookupResult.Cname.class,
        find("alias.example.test.", Type.A));
    assertEquals(ChainEnd.FOLLOWED, c.end());
    assertFalse(c.wildcard());
    LookupResult.Exact e = assertInstanceOf(LookupResult.Exact.class, c.next());
    assertEquals(name("www.example.test."), e.owner());
    assertEquals(c.next(), c.last());
  }

  @Test
  void aCnameIsTheAnswerWhenAskedForCnameOrAny() {
    for (int type : new int[] {Type.CNAME, Type.ANY}) {
      LookupResult.Exact e = assertInstanceOf(LookupResult.Exact.class,
          find("alias.example.test.", type), Type.string(type));
      assertEquals(Type.CNAME, e.set().getType(), "ANY matches CNAME: no restart (step 3a)");
    }
  }

  @Test
  void aChainFollowsEveryHop() {
    LookupResult r = find("chain1.example.test.", Type.A);
    List<String> owners = new ArrayList<>();
    while (r instanceof LookupResult.Cname c) {
      owners.add(c.owner().toString());
      r = c.next();
    }
    assertEquals(List.of("chain1.example.test.", "chain2.example.test.", "alias.example.test."),
        owners);
    assertInstanceOf(LookupResult.Exact.class, r);
  }

  @Test
  void aChainStopsAtTheConfiguredLength() {
    LookupResult.Cname first = assertInstanceOf(LookupResult.Cname.class,
        find(2, "chain1.example.test.", Type.A));
    LookupResult.Cname second = assertInstanceOf(LookupResult.Cname.class, first.next());
    assertEquals(ChainEnd.TOO_LONG, second.end());
    assertNull(second.next());
    assertEquals(second, first.last());
  }

  @Test
  void aLoopStopsWhereItCloses() {
    LookupResult.Cname first = assertInstanceOf(LookupResult.Cname.class,
        find("loop1.example.test.", Type.A));
    LookupResult.Cname second = assertInstanceOf(LookupResult.Cname.class, first.next());
    assertEquals(name("loop2.example.test."), second.owner());
    assertEquals(ChainEnd.LOOP, second.end());
    assertNull(second.next());
  }

  @Test
  void aChainLeavesOurZonesOrCrossesIntoAnother() {
    LookupResult.Cname out = assertInstanceOf(LookupResult.Cname.class,
        find("out.example.test.", Type.A));
    assertEquals(ChainEnd.OUT_OF_ZONE, out.end());
    LookupResult.Cname across = assertInstanceOf(LookupResult.Cname.class,
        find("toother.example.test.", Type.A));
    assertEquals("other.test.", zoneOf(across.next()));
  }

  @Test
  void aChainToAMissingNameEndsInNxdomain() {
    LookupResult.Cname c = assertInstanceOf(LookupResult.Cname.class,
        find("tonx.example.test.", Type.A));
    assertInstanceOf(LookupResult.NxDomain.class, c.next());
  }

  // Step 3b: a zone cut.

  @Test
  void belowACutIsADelegationWithInDomainGlueFirst() {
    LookupResult.Delegation d = assertInstanceOf(LookupResult.Delegation.class,
        find("host.sub.example.test.", Type.A));
    assertEquals(name("sub.example.test."), d.cut());
    assertEquals(3, d.ns().size());
    assertTrue(d.at().rrset(Type.DS) != null, "the DS at the cut goes with a signed referral");
    List<String> glue = new ArrayList<>();
    for (Extra e : d.glue()) {
      glue.add(e.owner() + " " + Type.string(e.set().getType()));
    }
    assertEquals(List.of("ns.sub.example.test. A", "ns1.example.test. A",
        "ns1.example.test. AAAA"), glue, "in-domain (RFC 9471 §3.1) before sibling glue");
  }

  @Test
  void theCutItselfIsADelegationExceptForDs() {
    assertInstanceOf(LookupResult.Delegation.class, find("sub.example.test.", Type.A));
    assertInstanceOf(LookupResult.Delegation.class, find("sub.example.test.", Type.NS));
    LookupResult.Exact ds = assertInstanceOf(LookupResult.Exact.class,
        find("sub.example.test.", Type.DS));
    assertEquals(Type.DS, ds.set().getType(), "DS is the parent's data (RFC 4035 §3.1.4.1)");
  }

  @Test
  void dsAtAChildApexWeAlsoServeIsAnsweredByTheParent() {
    assertEquals("example.test.", zoneOf(find("deep.example.test.", Type.DS)),
        "the parent side, here NODATA: deep has no DS");
    assertEquals("deep.example.test.", zoneOf(find("deep.example.test.", Type.SOA)));
  }

  @Test
  void aChainIntoADelegationEndsInTheReferral() {
    LookupResult.Cname c = assertInstanceOf(LookupResult.Cname.class,
        find("tosub.example.test.", Type.A));
    assertInstanceOf(LookupResult.Delegation.class, c.next());
  }

  // Step 3c and RFC 4592: wildcards.

  @Test
  void aWildcardSynthesisesWithTheNameAskedAsOwner() {
    for (String qname : new String[] {"anything.wild.example.test.", "a.b.wild.example.test."}) {
      LookupResult.Wildcard w = assertInstanceOf(LookupResult.Wildcard.class,
          find(qname, Type.A), qname);
      assertEquals(name(qname), w.owner());
      assertEquals(name("*.wild.example.test."), w.source());
    }
  }

  @Test
  void aWildcardWithoutTheTypeIsNodata() {
    assertInstanceOf(LookupResult.NoData.class, find("anything.wild.example.test.", Type.TXT));
  }

  @Test
  void anExistingNameIsNotCoveredByTheWildcard() {
    assertInstanceOf(LookupResult.Exact.class, find("exists.wild.example.test.", Type.A));
    assertInstanceOf(LookupResult.NoData.class, find("exists.wild.example.test.", Type.TXT));
  }

  @Test
  void anEmptyNonTerminalBlocksTheWildcard() {
    assertInstanceOf(LookupResult.NoData.class, find("y.wild.example.test.", Type.A),
        "y.wild exists (as an ENT)");
    assertInstanceOf(LookupResult.NxDomain.class, find("z.y.wild.example.test.", Type.A),
        "closest encloser y.wild has no * (RFC 4592 §2.2.2)");
  }

  @Test
  void theWildcardNameItselfIsAnExactMatch() {
    assertInstanceOf(LookupResult.Exact.class, find("*.wild.example.test.", Type.A));
  }

  @Test
  void aWildcardCnameIsSynthesisedAndFollowed() {
    LookupResult.Cname c = assertInstanceOf(LookupResult.Cname.class,
        find("q.cw.example.test.", Type.A));
    assertTrue(c.wildcard());
    assertEquals(name("q.cw.example.test."), c.owner());
    assertInstanceOf(LookupResult.Exact.class, c.next());
  }

  @Test
  void aWildcardBelowACutIsOccluded() {
    // *.sub.example.test is child data (RFC 4592 §2.2.1: the cut is found first).
    LookupResult.Delegation d = assertInstanceOf(LookupResult.Delegation.class,
        find("nothere.sub.example.test.", Type.A));
    assertEquals(name("sub.example.test."), d.cut());
    assertInstanceOf(LookupResult.Delegation.class, find("*.sub.example.test.", Type.A));
  }

  @Test
  void aWildcardAboveACutDoesNotReachBelowIt() {
    // *.other.test covers missing names of other.test, but not those under the cut at kid.
    assertInstanceOf(LookupResult.Wildcard.class, find("nothing.other.test.", Type.TXT));
    LookupResult.Delegation d = assertInstanceOf(LookupResult.Delegation.class,
        find("x.kid.other.test.", Type.TXT));
    assertEquals(name("kid.other.test."), d.cut());
  }

  @Test
  void anApexWildcardCoversMissingNamesButNotExistingOnes() {
    assertInstanceOf(LookupResult.Wildcard.class, find("nothing.other.test.", Type.TXT));
    assertInstanceOf(LookupResult.NoData.class, find("host.other.test.", Type.TXT));
  }

  // RFC 2308: NXDOMAIN.

  @Test
  void aMissingNameIsNxdomainInItsZone() {
    LookupResult.NxDomain n = assertInstanceOf(LookupResult.NxDomain.class,
        find("missing.example.test.", Type.A));
    assertEquals(name("missing.example.test."), n.name());
    assertEquals(example.origin(), n.zone().origin());
    assertInstanceOf(LookupResult.NxDomain.class, find("x.a.b.c.example.test.", Type.A),
        "below an existing name");
  }

  // Step 6: additional section.

  @Test
  void mxTargetsGetAddressesFromTheirNodeOrTheirWildcardButNotBelowACut() {
    LookupResult.Exact e = assertInstanceOf(LookupResult.Exact.class,
        find("mx.example.test.", Type.MX));
    List<String> extra = new ArrayList<>();
    for (Extra x : e.additional()) {
      extra.add(x.owner() + " " + Type.string(x.set().getType()) + (x.wildcard() ? " *" : ""));
    }
    assertEquals(List.of("mail.example.test. A", "m.wild.example.test. A *"), extra);
  }

  // Pools.

  @Test
  void aPoolNameIsAnsweredByItsPoolWithItsEcsScope() {
    LookupResult.Pooled p = assertInstanceOf(LookupResult.Pooled.class,
        find("lb.example.test.", Type.A));
    assertEquals(2, p.records().size());
    assertEquals(24, p.ecsScope());
    LookupResult.Cname viaAlias = new LookupResult.Cname(example, LB, null, false,
        ChainEnd.FOLLOWED, p);
    assertEquals(24, viaAlias.ecsScope(), "a chain's scope is its end's");
  }

  @Test
  void aPoolWithoutTheFamilyIsNodataAndADownPoolFails() {
    assertInstanceOf(LookupResult.NoData.class, find("lb.example.test.", Type.AAAA));
    assertInstanceOf(LookupResult.NoData.class, find("empty.example.test.", Type.A));
    assertInstanceOf(LookupResult.PoolFailed.class, find("down.example.test.", Type.A));
    assertInstanceOf(LookupResult.Pooled.class, find("lb.example.test.", Type.ANY),
        "ANY asks the pool for A (minimal ANY)");
    LookupResult.NoData any = assertInstanceOf(LookupResult.NoData.class,
        find("empty.example.test.", Type.ANY));
    assertEquals(24, any.ecsScope(), "falls back to the node's data, keeping the pool's scope");
  }

  @Test
  void routingToAPoolDoesNotAskItsSelector() {
    int before = lb.asked;
    LookupResult.PoolName p = assertInstanceOf(LookupResult.PoolName.class,
        new Lookup(8, ChaosAnswers.none()).route(catalog, LB, Type.A));
    assertEquals(lb, p.pool());
    assertEquals(before, lb.asked);
  }

  // Classes and types that never reach a zone.

  @Test
  void otherClassesAndQuestionTypes() {
    Lookup lookup = new Lookup(8, new ChaosAnswers("v1", "", ""));
    assertInstanceOf(LookupResult.Chaos.class,
        lookup.find(catalog, name("version.bind."), Type.TXT, DClass.CH, CLIENT));
    assertEquals(new LookupResult.Refused(false),
        lookup.find(catalog, name("hostname.bind."), Type.TXT, DClass.CH, CLIENT));
    assertEquals(new LookupResult.Refused(false),
        lookup.find(catalog, name("www.example.test."), Type.A, DClass.HS, CLIENT));
    assertEquals(new LookupResult.Refused(false),
        lookup.find(catalog, name("example.test."), Type.AXFR, DClass.IN, CLIENT));
    assertEquals(new LookupResult.MetaType(),
        lookup.find(catalog, name("example.test."), Type.TSIG, DClass.IN, CLIENT));
  }

  // What the writer makes of a result (still without a socket).

  private static Query query(String qname, int type) {
    Message query = Message.newQuery(Record.newRecord(name(qname), type, DClass.IN));
    return QueryDecoder.decode(query.toWire(), InetAddress.getLoopbackAddress(), false).query();
  }

  private static Message respond(String qname, int type) {
    return new Responder(1232, 8, ChaosAnswers.none()).respond(query(qname, type), catalog);
  }

  @Test
  void inDomainGlueThatDoesNotFitSaysTruncated() throws Exception {
    LookupResult.Delegation d = assertInstanceOf(LookupResult.Delegation.class,
        find("www.big.example.test.", Type.A));
    assertEquals(18, d.glue().size(), "an A and an AAAA for each of nine servers");
    Responder responder = new Responder(1232, 8, ChaosAnswers.none());
    Query q = query("www.big.example.test.", Type.A); // no EDNS: 512 bytes
    Message sent = new Message(responder.encode(responder.respond(q, catalog), q));
    assertTrue(sent.getHeader().getFlag(Flags.TC), "RFC 9471 §3.1: all in-domain glue, or TC");
    assertEquals(9, sent.getSection(Section.AUTHORITY).size(), "the NS set is all there");
  }

  @Test
  void negativeAnswersCarryTheSoaWithTheNegativeTtl() throws Exception {
    Message nx = respond("missing.example.test.", Type.A);
    Message nodata = respond("www.example.test.", Type.AAAA);
    assertEquals(Rcode.NXDOMAIN, nx.getRcode());
    assertEquals(Rcode.NOERROR, nodata.getRcode());
    for (Message m : new Message[] {nx, nodata}) {
      assertTrue(m.getHeader().getFlag(Flags.AA));
      assertEquals(List.of(), m.getSection(Section.ANSWER));
      SOARecord soa = (SOARecord) m.getSection(Section.AUTHORITY).get(0);
      assertEquals(example.origin(), soa.getName());
      assertEquals(300, soa.getTTL(), "min(SOA TTL, MINIMUM) (RFC 2308 §3)");
    }
  }

  @Test
  void aReferralIsNotAuthoritativeUnlessACnameOfOursLedToIt() throws Exception {
    assertFalse(respond("host.sub.example.test.", Type.A).getHeader().getFlag(Flags.AA));
    assertTrue(respond("tosub.example.test.", Type.A).getHeader().getFlag(Flags.AA),
        "RFC 1035 §4.1.1: AA is about the first owner in the answer");
  }
}
