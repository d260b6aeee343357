package io.dnslb.pool;

import static io.dnslb.pool.PoolFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dnslb.config.ConfigError;
import io.dnslb.zone.ZoneSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Pool members, min-healthy and topology blocks: what loads, and each bad input's FILE:LINE. */
class PoolsOfPoolsConfigTest {
  @TempDir Path dir;

  /** Two site pools without names and a parent; {@code parent} is the parent's body lines. */
  static String sites(String... parent) {
    StringBuilder s = new StringBuilder("""
        pools {
          eu-web {
            min-healthy = "50%"
            members = [{ address = "192.0.2.10" }, { address = "192.0.2.11" }]
          }
          us-web { members = [{ address = "192.0.2.20" }] }
          web {
            names = ["www.lb.example.com."]
        """);
    for (String line : parent) {
      s.append("    ").append(line).append('\n');
    }
    return s.append("  }\n}\n").toString();
  }

  static final String MEMBERS = "members = [{ pool = \"eu-web\" }, { pool = \"us-web\" }]";

  @Test
  void poolMembersLoadChildrenFirstWithTheirSettings() throws Exception {
    ZoneSet zones = PoolFixtures.zones(dir);
    write(dir, "a.pools.conf", sites("policy = failover", MEMBERS));
    List<PoolConfig> configs = PoolDirectory.configs(dir, zones);
    assertEquals(List.of("eu-web", "us-web", "web"), configs.stream().map(PoolConfig::id).toList());
    assertEquals(new MinHealthy(0, 50), configs.get(0).minHealthy());
    assertEquals(1, configs.get(0).minHealthy().required(1));
    assertEquals(2, configs.get(0).minHealthy().required(3));
    MemberConfig m = configs.get(2).members().get(1);
    assertEquals("us-web", m.pool());
    assertEquals("pool:us-web", m.label());
  }

  static Stream<Arguments> badInputs() {
    return Stream.of(
        Arguments.of(sites("members = [{ pool = \"eu-web\" }, { pool = \"asia-web\" }]"), 9,
            "pool web member pool:asia-web: no pool asia-web is defined"),
        Arguments.of(sites("members = [{ pool = \"web\" }]"), 9,
            "pool web member pool:web makes a cycle: web -> web"),
        Arguments.of("""
            pools {
              a { names = ["a.lb.example.com."], members = [{ pool = "b" }] }
              b { members = [{ pool = "c" }] }
              c {
                members = [{ pool = "a" }]
              }
            }
            """, 5, "pool c member pool:a makes a cycle: a -> b -> c -> a"),
        Arguments.of(sites("members = [{ pool = \"eu-web\", address = \"192.0.2.1\" }]"), 9,
            "pool web member: a member has either an address or a pool, not both"),
        Arguments.of(sites("members = [{ pool = \"eu-web\", check { port = 80 } }]"), 9,
            "pool web member pool:eu-web: a pool member has no check of its own; its health "
                + "is its pool's"),
        Arguments.of(sites("members = [{ pool = \"eu-web\" }, { pool = \"eu-web\" }]"), 9,
            "pool web: member pool:eu-web is already listed on line 9"),
        Arguments.of(sites("min-healthy = 0", MEMBERS), 9,
            "pool web: min-healthy must be a whole number >= 1 or a percentage such as \"50%\","
                + " not 0"),
        Arguments.of(sites("min-healthy = \"150%\"", MEMBERS), 9,
            "pool web: min-healthy must be a whole number >= 1 or a percentage such as \"50%\","
                + " not \"150%\""),
        Arguments.of(sites("policy = topology", MEMBERS), 7,
            "pool web: policy = topology needs a topology block with its regions"),
        Arguments.of(sites("topology { regions { default { pools = [eu-web] } } }", MEMBERS), 9,
            "pool web: a topology block needs policy = topology"),
        Arguments.of(sites("policy = topology",
            "topology { regions { eu { pools = [eu-web] } } }", MEMBERS), 10,
            "pool web topology: regions must include default { pools = [...] }, for clients no "
                + "network matches"),
        Arguments.of(sites("policy = topology",
            "topology { regions { default { pools = [asia-web] } } }", MEMBERS), 10,
            "pool web topology region default: pool asia-web is not a member of pool web (add "
                + "{ pool = \"asia-web\" } to its members)"),
        Arguments.of(sites("policy = topology", "topology { regions { default { pools = "
            + "[eu-web], match = [\"planet:earth\"] } } }", MEMBERS), 10,
            "pool web topology region default: match 'planet:earth' must be country:CC or "
                + "continent:CC, such as country:BR or continent:EU"),
        Arguments.of(sites("policy = topology", "topology { regions { default { pools = "
            + "[eu-web], match = [\"country:BR\"] } } }", MEMBERS), 10,
            "pool web topology: match rules need geoip = \"<database>.mmdb\""),
        Arguments.of(sites("policy = topology", "topology {", "  geoip = \"x.mmdb\"",
            "  regions {", "    eu { pools = [eu-web], match = [\"continent:EU\"] }",
            "    default { pools = [us-web], match = [\"continent:EU\"] }", "  }", "}",
            MEMBERS), 14,
            "pool web topology region default: continent:EU is already matched by region eu"),
        Arguments.of(sites("policy = topology", "topology {",
            "  networks = \"../outside.conf\"",
            "  regions { default { pools = [eu-web] } }", "}", MEMBERS), 11,
            "pool web topology: networks '../outside.conf' must be a file inside the zones "
                + "directory"),
        Arguments.of(sites("policy = topology", "topology {",
            "  networks = \"/etc/passwd\"",
            "  regions { default { pools = [eu-web] } }", "}", MEMBERS), 11,
            "pool web topology: networks '/etc/passwd' must be a file inside the zones "
                + "directory"));
  }

  @ParameterizedTest
  @MethodSource("badInputs")
  void eachBadInputIsReportedAtItsFileAndLine(String content, int line, String problem)
      throws Exception {
    ZoneSet zones = PoolFixtures.zones(dir);
    Files.writeString(dir.getParent().resolve("outside.conf"), "10.0.0.0/8 default\n");
    Path file = write(dir, "a.pools.conf", content);
    ConfigError e = assertThrows(ConfigError.class, () -> PoolDirectory.load(dir, zones));
    assertEquals(file + ":" + line + ": " + problem, e.getMessage(),
        () -> "also: " + Arrays.toString(e.getSuppressed()));
  }

  @Test
  void aBrokenNetworksFileIsReportedAtItsOwnLines() {
    ZoneSet zones = PoolFixtures.zones(dir);
    Path nets = write(dir, "nets.conf", """
        # our networks
        10.0.0.0/8 office
        10.0.0.1/8 office
        10.0.0.0/8 eu
        192.0.2.0/33 office
        2001:db8::/32 mars
        10.0.0.0/8   office   # twice
        10.2.0.0/16
        not-a-network office
        2001:db8::/32 office
        """);
    write(dir, "a.pools.conf", sites("policy = topology", "topology {",
        "  networks = \"nets.conf\"",
        "  regions { office { pools = [eu-web] }, default { pools = [us-web] } }", "}",
        MEMBERS));
    ConfigError e = assertThrows(ConfigError.class, () -> PoolDirectory.load(dir, zones));
    List<String> all = Stream.concat(Stream.of(e), Arrays.stream(e.getSuppressed()))
        .map(Throwable::getMessage).toList();
    assertEquals(List.of(
        nets + ":3: '10.0.0.1/8' has host bits set; did you mean 10.0.0.0/8?",
        nets + ":4: unknown region 'eu' (known: default, office)",
        nets + ":5: '192.0.2.0/33' is not a CIDR such as 192.0.2.0/24",
        nets + ":6: unknown region 'mars' (known: default, office)",
        nets + ":7: network 10.0.0.0/8 is already listed on line 2",
        nets + ":8: expected 'CIDR region', got '10.2.0.0/16'",
        nets + ":9: 'not-a-network' is not a CIDR such as 192.0.2.0/24"), all);
  }
}
