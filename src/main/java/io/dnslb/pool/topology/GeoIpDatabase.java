package io.dnslb.pool.topology;

import com.maxmind.db.CHMCache;
import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.InvalidNetworkException;
import com.maxmind.db.MaxMindDbConstructor;
import com.maxmind.db.MaxMindDbParameter;
import com.maxmind.db.Networks;
import com.maxmind.db.Reader;
import io.dnslb.config.ConfigError;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a MaxMind DB (GeoIP2/GeoLite2 Country or City) into region tables, read with MaxMind's
 * own reader, once, at load time: every network of the database is mapped to a region by the
 * match rules, so a query looks up our arrays and never decodes a record. The most specific
 * rule wins ({@code country:} over {@code continent:}); the record's {@code country} is used,
 * its {@code registered_country} only when {@code country} is absent; a record no rule matches
 * maps to the default region, keeping its own network as the ECS scope.
 */
public final class GeoIpDatabase {
  private GeoIpDatabase() {}

  /** The part of a record we read; the reader skips the rest (names in many languages...). */
  public static final class Place {
    final String isoCode;
    final String code;

    @MaxMindDbConstructor
    public Place(@MaxMindDbParameter(name = "iso_code") String isoCode,
        @MaxMindDbParameter(name = "code") String code) {
      this.isoCode = isoCode;
      this.code = code;
    }
  }

  /** A GeoIP2 country/city record, reduced to what region matching needs. */
  public static final class Location {
    final Place country;
    final Place registeredCountry;
    final Place continent;

    @MaxMindDbConstructor
    public Location(@MaxMindDbParameter(name = "country") Place country,
        @MaxMindDbParameter(name = "registered_country") Place registeredCountry,
        @MaxMindDbParameter(name = "continent") Place continent) {
      this.country = country;
      this.registeredCountry = registeredCountry;
      this.continent = continent;
    }
  }

  /**
   * Reads the whole database.
   *
   * @param countries ISO country code → region index
   * @param continents continent code → region index
   * @param fallback the region of a record no rule matches (the default region)
   * @throws ConfigError FILE: message when the database cannot be opened or read
   */
  public static PrefixTables read(Path file, Map<String, Integer> countries,
      Map<String, Integer> continents, int fallback) throws ConfigError {
    List<RangeTable.Network> v4 = new ArrayList<>();
    List<RangeTable.Network> v6 = new ArrayList<>();
    try (Reader reader = new Reader(file.toFile(), Reader.FileMode.MEMORY, new CHMCache())) {
      Networks<Location> networks = reader.networks(false, Location.class);
      while (networks.hasNext()) {
        DatabaseRecord<Location> r = networks.next();
        int region = region(r.getData(), countries, continents, fallback);
        InetAddress address = r.getNetwork().getNetworkAddress();
        int prefix = r.getNetwork().getPrefixLength();
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
          v4.add(new RangeTable.Network(RangeTable.hi(bytes), 0, prefix, region));
        } else if (ipv4Subtree(bytes, prefix)) {
          // An IPv6 database keeps IPv4 at ::/96; queries come as IPv4, so file it there.
          byte[] four = {bytes[12], bytes[13], bytes[14], bytes[15]};
          v4.add(new RangeTable.Network(RangeTable.hi(four), 0, prefix - 96, region));
        } else {
          v6.add(new RangeTable.Network(RangeTable.hi(bytes), RangeTable.lo(bytes, 2), prefix,
              region));
        }
      }
    } catch (IOException | InvalidNetworkException | RuntimeException e) {
      // The reader signals a corrupt file with runtime exceptions too (NetworksIterationException).
      throw new ConfigError(file.toString(), 0, "cannot read MaxMind database: " + e);
    }
    return new PrefixTables(RangeTable.of(32, v4), RangeTable.of(128, v6));
  }

  private static boolean ipv4Subtree(byte[] bytes, int prefix) {
    for (int i = 0; i < 12; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return prefix >= 96;
  }

  static int region(Location l, Map<String, Integer> countries, Map<String, Integer> continents,
      int fallback) {
    if (l == null) {
      return fallback;
    }
    Place country = l.country != null && l.country.isoCode != null ? l.country
        : l.registeredCountry;
    if (country != null && country.isoCode != null) {
      Integer r = countries.get(country.isoCode);
      if (r != null) {
        return r;
      }
    }
    if (l.continent != null && l.continent.code != null) {
      Integer r = continents.get(l.continent.code);
      if (r != null) {
        return r;
      }
    }
    return fallback;
  }
}
