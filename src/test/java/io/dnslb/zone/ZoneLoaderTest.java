package io.dnslb.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.config.ConfigError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class ZoneLoaderTest {
  private static final String SOA = "@ 3600 SOA ns hostmaster 1 7200 900 1209600 300\n";

  @TempDir Path dir;

  static Stream<Arguments> badZones() {
    return Stream.of(
        Arguments.of("no SOA", "$ORIGIN z.test.\nwww 60 A 192.0.2.1\n",
            ":1: no SOA record at the zone origin z.test."),
        Arguments.of("duplicate SOA", "$ORIGIN z.test.\n" + SOA + "www 60 A 192.0.2.1\n" + SOA,
            ":4: duplicate SOA record for z.test."),
        Arguments.of("SOA not at origin", "$ORIGIN z.test.\nsub 3600 SOA ns h 1 2 3 4 5\n",
            ":2: SOA owner sub.z.test. is not the zone origin z.test."),
        Arguments.of("outside origin", "$ORIGIN z.test.\n" + SOA + "www.other.test. 60 A 192.0.2.1\n",
            ":3: record www.other.test. is outside the zone origin z.test."),
        Arguments.of("CNAME beside data", "$ORIGIN z.test.\n" + SOA + "www 60 A 192.0.2.1\n"
            + "www 60 CNAME other\n", ":4: CNAME at www.z.test. beside other data"),
        Arguments.of("data beside CNAME", "$ORIGIN z.test.\n" + SOA + "www 60 CNAME other\n"
            + "\nwww 60 TXT \"x\"\n", ":5: TXT at www.z.test. beside a CNAME (line 3"),
        Arguments.of("two CNAMEs", "$ORIGIN z.test.\n" + SOA + "www 60 CNAME a\nwww 60 CNAME b\n",
            ":4: more than one CNAME at www.z.test."),
        Arguments.of("bad address", "$ORIGIN z.test.\n" + SOA + "www 60 A 300.1.1.1\n",
            ":3: '300.1.1.1' is not a valid address for this record type"),
        Arguments.of("unknown type", "$ORIGIN z.test.\n" + SOA + "\n\nwww 60 BOGUS foo\n",
            ":5: unknown record type 'BOGUS' (a record is NAME [TTL] [CLASS] TYPE DATA)"),
        Arguments.of("class after type", "$ORIGIN z.test.\n" + SOA + "www 60 A IN 192.0.2.1\n",
            ":3: 'IN' where the address should be (a record is NAME [TTL] [CLASS] TYPE DATA)"),
        Arguments.of("trailing text", "$ORIGIN z.test.\n" + SOA + "www 60 A 192.0.2.1 IN\n",
            ":3: unexpected 'IN' after the end of the record (a record is NAME [TTL] [CLASS] TYPE DATA)"),
        Arguments.of("number too big", "$ORIGIN z.test.\n" + SOA + "www 60 MX 70000 mail\n",
            ":3: expected a number that fits in 16 bits"),
        // 300 strings of 200 bytes: 60,300 bytes of RDATA, fine; 330 of them are over 65,535.
        Arguments.of("RDATA over 65535 bytes", "$ORIGIN z.test.\n" + SOA
            + "ok 60 TXT " + ("\"" + "x".repeat(200) + "\" ").repeat(300) + "\n"
            + "big 60 TXT " + ("\"" + "x".repeat(200) + "\" ").repeat(330) + "\n",
            ":4: TXT record at big.z.test. has more than 65535 bytes of data, more than DNS can"
                + " carry"),
        Arguments.of("$INCLUDE refused", "$ORIGIN z.test.\n" + SOA + "$INCLUDE /etc/passwd\n",
            ":3: $INCLUDE is not supported: put every record of the zone in its own file"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badZones")
  void badZoneNamesFileAndLine(String what, String text, String expected) throws Exception {
    Path f = dir.resolve("z.test.zone");
    Files.writeString(f, text);
    ConfigError e = assertThrows(ConfigError.class, () -> ZoneLoader.load(f));
    assertTrue(e.getMessage().startsWith(f + expected),
        what + ": got '" + e.getMessage() + "', want prefix '" + f + expected + "'");
  }

  @Test
  void originComesFromTheFileNameWithoutOrigin() throws Exception {
    Path f = dir.resolve("name.test.zone");
    Files.writeString(f, SOA + "www 60 A 192.0.2.1\n");
    Zone z = ZoneLoader.load(f);
    assertEquals(Name.fromString("name.test."), z.origin());
    assertNotNull(z.lookup(Name.fromString("WWW.name.test.")).rrset(Type.A), "case-insensitive");
  }

  @Test
  void emptyNonTerminalsExist() throws Exception {
    Path f = dir.resolve("e.test.zone");
    Files.writeString(f, SOA + "a.b.c 60 A 192.0.2.1\n");
    Zone z = ZoneLoader.load(f);
    assertTrue(z.lookup(Name.fromString("b.c.e.test.")).isEmptyNonTerminal());
    assertTrue(z.lookup(Name.fromString("c.e.test.")).isEmptyNonTerminal());
    assertNull(z.lookup(Name.fromString("d.e.test.")));
  }

  /** At start the files load on every core; zones and errors still come in file order. */
  @Test
  void manyFilesLoadInParallelAndReportInFileOrder() throws Exception {
    for (int i = 0; i < 8; i++) {
      String body = i == 2 || i == 5 ? "www 60 A 300.0.0." + i + "\n" : "www 60 A 192.0.2." + i + "\n";
      Files.writeString(dir.resolve("z" + i + ".test.zone"), SOA + body);
    }
    java.util.List<ConfigError> errors = new java.util.ArrayList<>();
    ZoneSet set = ZoneDirectory.load(dir, 0, errors);
    assertEquals(java.util.List.of(dir.resolve("z2.test.zone") + ":2", dir.resolve("z5.test.zone")
        + ":2"), errors.stream().map(e -> e.getMessage().substring(0, e.getMessage().indexOf(": ")))
        .toList());
    assertEquals(java.util.List.of("z0.test.", "z1.test.", "z3.test.", "z4.test.", "z6.test.",
        "z7.test."), set.zones().stream().map(z -> z.origin().toString()).toList());
    assertEquals("192.0.2.7", set.find(Name.fromString("www.z7.test.")).lookup(
        Name.fromString("www.z7.test.")).rrset(Type.A).first().rdataToString());
  }

  @Test
  void twoFilesForOneZoneAreAnError() throws Exception {
    Files.writeString(dir.resolve("a.zone"), "$ORIGIN same.test.\n" + SOA);
    Files.writeString(dir.resolve("b.zone"), "$ORIGIN same.test.\n" + SOA);
    ConfigError e = assertThrows(ConfigError.class, () -> ZoneDirectory.load(dir));
    assertEquals(dir.resolve("b.zone") + ":1: zone same.test. is already loaded from "
        + dir.resolve("a.zone"), e.getMessage());
  }

  @Test
  void missingDirectoryIsAnError() {
    ConfigError e = assertThrows(ConfigError.class, () -> ZoneDirectory.load(dir.resolve("no")));
    assertTrue(e.getMessage().contains("zones directory does not exist"));
  }
}
