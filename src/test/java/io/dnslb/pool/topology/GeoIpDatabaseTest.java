package io.dnslb.pool.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.config.ConfigError;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading MaxMind databases (Country and City) into region tables, and the matching rules. */
class GeoIpDatabaseTest {
  @TempDir Path dir;

  static int region(PrefixTables t, String address) throws Exception {
    byte[] a = InetAddress.getByName(address).getAddress();
    int family = a.length == 4 ? 1 : 2;
    return RangeTable.value(t.lookup(family, RangeTable.hi(a), RangeTable.lo(a, family)));
  }

  @Test
  void aCityDatabaseWorksLikeACountryOne() throws Exception {
    Path city = TestDatabases.copy(TestDatabases.CITY, dir);
    PrefixTables t = GeoIpDatabase.read(city, Map.of("GB", 1), Map.of("EU", 0, "AS", 2), 9);
    assertTrue(t.size() > 0, "networks read: " + t.size());
    assertEquals(1, region(t, "81.2.69.142")); // GB: the country rule beats continent EU
    assertEquals(2, region(t, "2001:218::1")); // JP, Asia
  }

  @Test
  void registeredCountryCountsOnlyWhenTheCountryIsAbsent() {
    GeoIpDatabase.Place de = new GeoIpDatabase.Place("DE", null);
    GeoIpDatabase.Place us = new GeoIpDatabase.Place("US", null);
    GeoIpDatabase.Place eu = new GeoIpDatabase.Place(null, "EU");
    Map<String, Integer> countries = Map.of("DE", 1, "US", 2);
    Map<String, Integer> continents = Map.of("EU", 3);
    assertEquals(1, GeoIpDatabase.region(new GeoIpDatabase.Location(de, us, eu), countries,
        continents, 0));
    assertEquals(2, GeoIpDatabase.region(new GeoIpDatabase.Location(null, us, eu), countries,
        continents, 0));
    assertEquals(3, GeoIpDatabase.region(new GeoIpDatabase.Location(null, null, eu), countries,
        continents, 0));
    assertEquals(0, GeoIpDatabase.region(new GeoIpDatabase.Location(null, null, null), countries,
        continents, 0));
  }

  @Test
  void aTruncatedDatabaseIsAnErrorNamingTheFile() throws Exception {
    Path db = TestDatabases.copy(TestDatabases.COUNTRY, dir);
    byte[] good = Files.readAllBytes(db);
    Files.write(db, java.util.Arrays.copyOf(good, 1000));
    ConfigError e = assertThrows(ConfigError.class,
        () -> GeoIpDatabase.read(db, Map.of(), Map.of(), 0));
    assertTrue(e.getMessage().startsWith(db + ": cannot read MaxMind database"), e.getMessage());
  }
}
