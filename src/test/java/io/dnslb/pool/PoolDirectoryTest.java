package io.dnslb.pool;

import static io.dnslb.pool.PoolFixtures.webPool;
import static io.dnslb.pool.PoolFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dnslb.config.ConfigError;
import io.dnslb.zone.ZoneSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Name;

class PoolDirectoryTest {
  private static final String NAMES = "names = [\"www.lb.example.com.\"]";
  private static final String MEMBERS = "members = [{ address = \"192.0.2.10\" }]";

  @TempDir Path dir;

  @Test
  void theExamplePoolFileLoads() throws Exception {
    ZoneSet zones = PoolFixtures.zones(dir);
    Files.copy(Path.of("zones/lb.example.com.pools.conf"),
        dir.resolve("lb.example.com.pools.conf"));
    Pools pools = PoolDirectory.load(dir, zones);
    assertEquals(List.of("web", "api", "app", "db"),
        pools.all().stream().map(Pool::id).toList());
    for (String n : List.of("www", "api", "app", "db")) {
      assertEquals(n.equals("www") ? "web" : n,
          pools.find(Name.fromString(n + ".lb.example.com.")).id());
    }
    PoolConfig web = ((PoolRuntime) pools.find(Name.fromString("www.lb.example.com."))).config();
    assertEquals(Duration.ofSeconds(20), web.ttl());
    assertTrue(web.members().get(3).check().isEmpty(), "the example's checks are commented out");
    assertEquals(Admin.DRAIN, web.members().get(4).admin());
  }

  @Test
  void leftOutKeysGetTheDocumentedDefaults() throws Exception {
    ZoneSet zones = PoolFixtures.zones(dir);
    write(dir, "a.pools.conf", webPool(NAMES, MEMBERS));
    PoolConfig web = PoolDirectory.configs(dir, zones).get(0);
    assertEquals("round-robin", web.policy().name());
    assertEquals(8, web.answers());
    assertEquals(Duration.ofSeconds(30), web.ttl());
    assertEquals(true, web.failOpen());
    MemberConfig m = web.members().get(0);
    assertEquals(1, m.weight());
    assertEquals(1, m.priority());
    assertEquals(Admin.NONE, m.admin());
    assertEquals(true, m.check().isEmpty());
  }

  @Test
  void checkBlocksAcceptWhatTheHealthPackageAccepts() throws Exception {
    // The README's own example: once refused by a second, stricter validator in the pool loader.
    ZoneSet zones = PoolFixtures.zones(dir);
    write(dir, "a.pools.conf", webPool(NAMES,
        "check { type = http, port = 80, expect = [200, \"300-399\"] }", MEMBERS));
    assertEquals("[200, \"300-399\"]",
        PoolDirectory.configs(dir, zones).get(0).members().get(0).check().getValue("expect")
            .render(com.typesafe.config.ConfigRenderOptions.concise()).replace(",", ", "));
  }

  @Test
  void aMemberOfAnotherCheckTypeInheritsOnlyTheSharedKeys() throws Exception {
    // An http pool with one member checked by tcp: path is the pool's, not the member's business.
    ZoneSet zones = PoolFixtures.zones(dir);
    write(dir, "a.pools.conf", webPool(NAMES,
        "check { type = http, port = 80, path = \"/health\", interval = 3s }", "members = [",
        "{ address = \"192.0.2.10\", check { type = tcp, port = 6379 } }",
        "{ address = \"192.0.2.11\" }", "]"));
    MemberConfig tcp = PoolDirectory.configs(dir, zones).get(0).members().get(0);
    assertEquals("tcp", tcp.check().getString("type"));
    assertEquals(false, tcp.check().hasPath("path"));
    assertEquals("3s", tcp.check().getValue("interval").unwrapped());
    assertEquals("/health",
        PoolDirectory.configs(dir, zones).get(0).members().get(1).check().getString("path"));

    // A foreign key the member writes itself is still refused.
    write(dir, "a.pools.conf", webPool(NAMES, "check { type = http, port = 80 }", "members = [",
        "{ address = \"192.0.2.10\", check { type = tcp, path = \"/x\" } }", "]"));
    ConfigError e = assertThrows(ConfigError.class, () -> PoolDirectory.load(dir, zones));
    assertTrue(e.getMessage().contains("check: path is only for http and https checks"),
        e::getMessage);
  }

  @Test
  void everyProblemIsReportedOnceNotOnlyTheFirst() throws Exception {
    ZoneSet zones = PoolFixtures.zones(dir);
    write(dir, "a.pools.conf", webPool(NAMES, "check { port = 0, rise = 0 }", "ttl = 5",
        "members = [", "{ address = \"192.0.2.10\" }", "{ address = \"192.0.2.11\" }", "]"));
    ConfigError e = assertThrows(ConfigError.class, () -> PoolDirectory.load(dir, zones));
    // three distinct problems, each once although both members inherit the pool's check
    assertEquals(2, e.getSuppressed().length, () -> e.getMessage() + " " + Arrays.toString(e.getSuppressed()));
  }

  @Test
  void weightedPoolsAnswerOneAddressByDefault() throws Exception {
    ZoneSet zones = PoolFixtures.zones(dir);
    write(dir, "a.pools.conf", webPool(NAMES, "policy = weighted", MEMBERS));
    assertEquals(1, PoolDirectory.configs(dir, zones).get(0).answers());
  }

  static Stream<Arguments> badInputs() {
    String knownPoolKeys = "(known: answers, check, members, min-healthy, min-serving, names, "
        + "policy, slow-start, sticky, topology, ttl, ttl-max, ttl-min, when-all-down)";
    return Stream.of(
        Arguments.of(webPool(NAMES, "wieght = 3", MEMBERS), 4,
            "unknown key 'wieght' in pool web " + knownPoolKeys),
        Arguments.of("pool { }\n", 1,
            "unknown key 'pool' in pool file (known: pools)"),
        Arguments.of(webPool(NAMES, "members = [{ address = \"192.0.2.10\", wieght = 3 }]"), 4,
            "unknown key 'wieght' in pool web member (known: address, admin, check, pool, "
                + "priority, weight)"),
        Arguments.of(webPool(NAMES, "check { type = http, port = 80, prot = 80 }", MEMBERS), 4,
            "check: unknown key \"prot\" (known: address, command, expect, fall, "
                + "fast-fail, host, interval, load, path, port, rise, timeout, tls-verify, type)"),
        Arguments.of(webPool(NAMES, "policy = sticky", "sticky { ipv4 = 24 }", MEMBERS), 5,
            "unknown key 'ipv4' in pool web sticky (known: ipv4-prefix, ipv6-prefix)"),
        Arguments.of(webPool(MEMBERS), 2,
            "pool web has no names, and no pool lists it as a member, so it answers nothing"),
        Arguments.of(webPool(NAMES), 2, "pool web has no members"),
        Arguments.of(webPool("names = []", MEMBERS), 3,
            "pool web: names must be a non-empty list of domain names"),
        Arguments.of(webPool("names = [\"www.other.example.\"]", MEMBERS), 3,
            "pool web: name www.other.example. is not inside any loaded zone"),
        Arguments.of(webPool("names = [\"www.lb.example.com\"]", MEMBERS), 3,
            "pool web: name www.lb.example.com must be absolute (end with a dot)"),
        Arguments.of(webPool("names = [\"*.lb.example.com.\"]", MEMBERS), 3,
            "pool web: name *.lb.example.com.: wildcard pool names are not supported"),
        Arguments.of(webPool("names = [\"www.sub.lb.example.com.\"]", MEMBERS), 3,
            "pool web: name www.sub.lb.example.com. is at or below the delegation "
                + "sub.lb.example.com. in ZONEFILE"),
        Arguments.of(webPool("names = [\"static.lb.example.com.\"]", MEMBERS), 3,
            "pool web: name static.lb.example.com. also has static A records in ZONEFILE; "
                + "a pool name's addresses come from the pool only"),
        Arguments.of(webPool("names = [\"alias.lb.example.com.\"]", MEMBERS), 3,
            "pool web: name alias.lb.example.com. also has static CNAME records in ZONEFILE; "
                + "a pool name's addresses come from the pool only"),
        Arguments.of(webPool(NAMES, "members = [{ address = \"192.0.2.300\" }]"), 4,
            "pool web member: address '192.0.2.300' is not an IPv4 or IPv6 literal"),
        Arguments.of(webPool(NAMES, "members = [{ address = \"www.example.com\" }]"), 4,
            "pool web member: address 'www.example.com' is not an IPv4 or IPv6 literal"),
        Arguments.of(webPool(NAMES, "members = [{ address = \"::ffff:192.0.2.1\" }]"), 4,
            "pool web member: address '::ffff:192.0.2.1' is not an IPv4 or IPv6 literal"),
        Arguments.of(webPool(NAMES, "members = [{ weight = 2 }]"), 4,
            "pool web member has no address"),
        Arguments.of(webPool(NAMES, "members = [{ address = \"192.0.2.10\", weight = -1 }]"), 4,
            "pool web member: weight must be a whole number 0..1000, not -1"),
        Arguments.of(webPool(NAMES, "members = [{ address = \"192.0.2.10\", weight = 1001 }]"),
            4, "pool web member: weight must be a whole number 0..1000, not 1001"),
        Arguments.of(webPool(NAMES, "members = [{ address = \"192.0.2.10\", priority = 0 }]"), 4,
            "pool web member: priority must be a whole number >= 1, not 0"),
        Arguments.of(webPool(NAMES, "members = [{ address = \"192.0.2.10\", admin = off }]"), 4,
            "pool web member: admin must be up, down or drain, not 'off'"),
        Arguments.of(webPool(NAMES, "members = [", "  { address = \"192.0.2.10\" }",
            "  { address = \"192.0.2.10\" }", "]"), 6,
            "pool web: member 192.0.2.10 is already listed on line 5"),
        Arguments.of(webPool(NAMES, "answers = 0", MEMBERS), 4,
            "pool web: answers must be a whole number 1..16, not 0"),
        Arguments.of(webPool(NAMES, "policy = random", MEMBERS), 4,
            "pool web: unknown policy 'random' (known: round-robin, weighted, sticky, failover, "
                + "topology)"),
        Arguments.of(webPool(NAMES, "ttl = soon", MEMBERS), 4,
            "pool web: ttl must be a duration such as 2s (units: ms, s, m, h, d), not \"soon\""),
        Arguments.of(webPool(NAMES, "ttl = 20", MEMBERS), 4,
            "pool web: ttl = 20 has no unit: write 20s (units: ms, s, m, h, d)"),
        Arguments.of(webPool(NAMES, "ttl = \"20\"", MEMBERS), 4,
            "pool web: ttl = 20 has no unit: write 20s (units: ms, s, m, h, d)"),
        Arguments.of(webPool(NAMES, "members = [ { address = \"192.0.2.10\" } "
            + "{ address = \"192.0.2.11\" } ]"), 4,
            "two blocks side by side without a comma are merged into one by HOCON (a list of "
                + "members would lose all but the last): put a comma between them or each on its "
                + "own line"),
        Arguments.of(webPool(NAMES, "check { port = 80, interval = 2 }", MEMBERS), 4,
            "check: interval = 2 has no unit: write 2s (units: ms, s, m, h, d)"),
        Arguments.of(webPool(NAMES, "check { type = http, port = 80, expect = [200, \"3xx\"] }",
            MEMBERS), 4,
            "expect: \"3xx\" is not a status code (100-599) or range like \"300-399\""),
        Arguments.of(webPool(NAMES, "ttl-min = 2s", MEMBERS), 4,
            "pool web: ttl-min needs ttl = auto"),
        Arguments.of(webPool(NAMES, "ttl = auto", "ttl-min = 40s", MEMBERS), 4,
            "pool web: ttl-min 40s is more than ttl-max 30s"),
        Arguments.of(webPool(NAMES, "ttl = auto", "ttl-max = never", MEMBERS), 5,
            "pool web: ttl-max must be a duration such as 2s (units: ms, s, m, h, d), not \"never\""),
        Arguments.of(webPool(NAMES, "slow-start = -5s", MEMBERS), 4,
            "pool web: slow-start must not be negative"),
        Arguments.of(webPool(NAMES, "check { port = 80, fast-fail = yes-please }", MEMBERS), 4,
            "check: fast-fail must be true or false, not \"yes-please\""),
        Arguments.of(webPool(NAMES, "check { type = http, port = 80, load = 5 }", MEMBERS), 4,
            "check: load must be a block such as { header = \"X-Load\" }"),
        Arguments.of(webPool(NAMES, "when-all-down = panic", MEMBERS), 4,
            "pool web: when-all-down must be fail-open or servfail, not 'panic'"),
        Arguments.of(webPool(NAMES, "sticky { ipv4-prefix = 24 }", MEMBERS), 4,
            "pool web: a sticky block needs policy = sticky"),
        Arguments.of(webPool(NAMES, "policy = sticky", "sticky { ipv6-prefix = 129 }", MEMBERS),
            5, "pool web: ipv6-prefix must be a whole number 1..128, not 129"),
        Arguments.of(webPool(NAMES, "check { port = 0 }", MEMBERS), 4,
            "check: port 0 is not in 1-65535"),
        Arguments.of(webPool(NAMES, "members = [{ address = \"192.0.2.10\", check { interval "
            + "= fast, port = 80 } }]"), 4,
            "check: interval must be a duration such as 2s (units: ms, s, m, h, d), not \"fast\""),
        Arguments.of(webPool(NAMES, "check { port = 80, rise = yes }", MEMBERS), 4,
            "check: rise must be a whole number, not \"yes\""),
        Arguments.of(webPool(NAMES, "include file(\"/etc/passwd\")", MEMBERS), 4,
            "include is not allowed in a pool file (file(/etc/passwd)); put the pools in this"
                + " file or another *.pools.conf file of the zones directory"),
        Arguments.of("include \"other.conf\"\n" + webPool(NAMES, MEMBERS), 1,
            "include is not allowed in a pool file (other.conf); put the pools in this"
                + " file or another *.pools.conf file of the zones directory"),
        Arguments.of(webPool(NAMES, "include required(classpath(\"reference.conf\"))", MEMBERS),
            4, "include is not allowed in a pool file (classpath(reference.conf)); put the pools"
                + " in this file or another *.pools.conf file of the zones directory"),
        Arguments.of(webPool(NAMES, "include url(\"file:///dev/zero\")", MEMBERS), 4,
            "include is not allowed in a pool file (url(file:/dev/zero)); put the pools"
                + " in this file or another *.pools.conf file of the zones directory"),
        Arguments.of(webPool(NAMES, "check { type = http, port = 80, path = ${HOME} }", MEMBERS), 4,
            "Could not resolve substitution to a value: ${HOME}"),
        Arguments.of("pools {\n  \"web\\n2026-12-05 INFO forged\" {\n    " + NAMES + "\n    "
            + MEMBERS + "\n  }\n}\n", 2,
            "pool id \"web?2026-12-05 INFO forged\" contains control characters"),
        Arguments.of(webPool(NAMES, "check { type = http, port = 80, path = \"/x\\u001b[31m\" }", MEMBERS),
            4, "check: path must start with / and contain no spaces or control characters"),
        Arguments.of(webPool(NAMES, "check { type = exec, command = [\"redis-ping\", \"a\\nb\"] }", MEMBERS),
            4, "check: command must not contain control characters"),
        Arguments.of(webPool(NAMES, "names = [", MEMBERS), 5,
            "List should have ended with ] or had a comma, instead had token: '='"
                + " (if you want '=' to be part of a string value, then double-quote it)"));
  }

  @ParameterizedTest
  @MethodSource("badInputs")
  void eachBadInputIsReportedAtItsFileAndLine(String content, int line, String problem) {
    ZoneSet zones = PoolFixtures.zones(dir);
    Path file = write(dir, "a.pools.conf", content);
    ConfigError e = assertThrows(ConfigError.class, () -> PoolDirectory.load(dir, zones));
    String expected = problem.replace("ZONEFILE", dir.resolve("lb.example.com.zone").toString());
    assertEquals(file + ":" + line + ": " + expected, e.getMessage(),
        () -> "also: " + Arrays.toString(e.getSuppressed()));
    assertEquals(0, e.getSuppressed().length, () -> Arrays.toString(e.getSuppressed()));
  }

  /**
   * An include of a URL that never answers used to block every later reload: refused without a
   * connection being made.
   */
  @Test
  void anIncludeOfAUrlIsRefusedWithoutConnecting() throws Exception {
    ZoneSet zones = PoolFixtures.zones(dir);
    try (java.net.ServerSocket never = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      Path file = write(dir, "a.pools.conf", webPool(NAMES, MEMBERS) + "include url(\"http://"
          + "127.0.0.1:" + never.getLocalPort() + "/pools.conf\")\n");
      ConfigError e = assertThrows(ConfigError.class, () -> PoolDirectory.load(dir, zones));
      assertTrue(e.getMessage().startsWith(file + ":7: include is not allowed"), e.getMessage());
      never.setSoTimeout(200);
      assertThrows(java.net.SocketTimeoutException.class, never::accept, "it connected");
    }
  }

  /** {@code ${?VAR}} would have copied an environment variable into the check path. */
  @Test
  void anOptionalEnvironmentSubstitutionStaysEmpty() throws Exception {
    ZoneSet zones = PoolFixtures.zones(dir);
    assertTrue(System.getenv("PATH") != null);
    write(dir, "a.pools.conf", webPool(NAMES, "check { type = http, port = 80, path = \"/h\", path = "
        + "${?PATH} }", MEMBERS));
    PoolConfig web = PoolDirectory.configs(dir, zones).get(0);
    assertEquals("/h", web.members().get(0).check().getString("path"));
  }

  @Test
  void aPoolIdDefinedInTwoFilesIsReportedInTheSecond() {
    ZoneSet zones = PoolFixtures.zones(dir);
    Path first = write(dir, "a.pools.conf", webPool(NAMES, MEMBERS));
    Path second = write(dir, "b.pools.conf",
        webPool("names = [\"api.lb.example.com.\"]", MEMBERS));
    ConfigError e = assertThrows(ConfigError.class, () -> PoolDirectory.load(dir, zones));
    assertEquals(second + ":2: pool id web is already defined at " + first + ":2",
        e.getMessage());
  }

  @Test
  void aNameClaimedByTwoPoolsIsReportedAtTheSecondClaim() {
    ZoneSet zones = PoolFixtures.zones(dir);
    write(dir, "a.pools.conf", webPool(NAMES, MEMBERS));
    Path second = write(dir, "b.pools.conf", """
        pools {
          other {
            names = ["WWW.lb.example.com."]
            members = [{ address = "192.0.2.20" }]
          }
        }
        """);
    ConfigError e = assertThrows(ConfigError.class, () -> PoolDirectory.load(dir, zones));
    assertEquals(second + ":3: pool other: name WWW.lb.example.com. is already answered by "
        + "pool web", e.getMessage());
  }

  @Test
  void everyProblemIsReportedNotOnlyTheFirst() {
    ZoneSet zones = PoolFixtures.zones(dir);
    Path file = write(dir, "a.pools.conf", webPool(NAMES, "policy = random", "answers = 0",
        "members = [{ address = \"192.0.2.10\", weight = 5000 }]"));
    ConfigError e = assertThrows(ConfigError.class, () -> PoolDirectory.load(dir, zones));
    assertEquals(file + ":4: pool web: unknown policy 'random' (known: round-robin, weighted, "
        + "sticky, failover, topology)", e.getMessage());
    assertEquals(List.of(file + ":5: pool web: answers must be a whole number 1..16, not 0",
            file + ":6: pool web member: weight must be a whole number 0..1000, not 5000"),
        Arrays.stream(e.getSuppressed()).map(Throwable::getMessage).toList());
  }

  @Test
  void onlyPoolFilesAreRead() throws Exception {
    ZoneSet zones = PoolFixtures.zones(dir);
    write(dir, "notes.conf", "this is { not a pool file");
    assertEquals(List.of(), PoolDirectory.load(dir, zones).all());
  }
}
