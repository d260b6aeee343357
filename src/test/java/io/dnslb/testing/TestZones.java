package io.dnslb.testing;

/** Zone files shared by the end-to-end answer tests. */
public final class TestZones {
  private TestZones() {}

  /** example.test: one of everything RFC 1034 §4.3.2 distinguishes. */
  public static final String EXAMPLE = String.join("\n",
      "$ORIGIN example.test.",
      "$TTL 3600",
      "@        SOA   ns1 hostmaster ( 42 7200 900 1209600 300 )",
      "@        NS    ns1",
      "@        NS    ns2.other.test.",
      "@        MX    10 mail",
      "@        MX    20 mx.elsewhere.example.",
      "ns1      A     192.0.2.1",
      "ns1      AAAA  2001:db8::1",
      "mail     A     192.0.2.25",
      "www      A     192.0.2.80",
      "www      A     192.0.2.81",
      "www      AAAA  2001:db8::80",
      "www      TXT   \"hello\"",
      "alias    CNAME www",
      "chain1   CNAME chain2",
      "chain2   CNAME alias",
      "loop1    CNAME loop2",
      "loop2    CNAME loop1",
      "out      CNAME www.elsewhere.example.",
      "toother  CNAME host.other.test.",
      "tonx     CNAME missing",
      "_sip._udp SRV  0 5 5060 sip",
      "sip      A     192.0.2.60",
      "a.b.c    A     192.0.2.3",           // b.c and c are empty non-terminals
      "*.wild   A     192.0.2.99",
      "*.wild   TXT   \"wildcard\"",
      "exists.wild A  192.0.2.98",
      "x.y.wild A     192.0.2.97",         // y.wild is an ENT: blocks the wildcard
      "*.cw     CNAME www",
      "sub      NS    ns.sub",
      "sub      NS    ns.elsewhere.example.",
      "sub      DS    12345 8 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE8B4D6E5A3F7A59B9D2D84F16",
      "ns.sub   A     192.0.2.53",
      "deep     NS    ns1",                 // delegated to a zone this server also serves
      "unk      TYPE65280 \\# 2 abcd",
      "big      TXT   \"" + "x".repeat(200) + "\"",
      "big      TXT   \"" + "y".repeat(200) + "\"",
      "big      TXT   \"" + "z".repeat(200) + "\"",
      "");

  /** other.test: a second zone, and a child zone of example.test. */
  public static final String OTHER = String.join("\n",
      "$ORIGIN other.test.",
      "@     3600 SOA ns hostmaster 1 7200 900 1209600 600",
      "@     3600 NS  ns2",
      "ns2   3600 A   198.51.100.2",
      "host  3600 A   198.51.100.7",
      "");

  public static final String DEEP = String.join("\n",
      "$ORIGIN deep.example.test.",
      "@     60 SOA ns hostmaster 1 7200 900 1209600 30",
      "@     60 NS  ns1.example.test.",
      "host  60 A   203.0.113.9",
      "");
}
