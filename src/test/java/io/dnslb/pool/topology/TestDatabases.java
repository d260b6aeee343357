package io.dnslb.pool.topology;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** MaxMind's test databases, shipped under src/test/resources/maxmind with their licences. */
public final class TestDatabases {
  public static final String COUNTRY = "GeoIP2-Country-Test.mmdb";
  public static final String CITY = "GeoIP2-City-Test.mmdb";

  private TestDatabases() {}

  /** Copies a test database into a directory (a zones directory) and returns its path. */
  public static Path copy(String name, Path dir) {
    try (InputStream in = TestDatabases.class.getResourceAsStream("/maxmind/" + name)) {
      Path target = dir.resolve(name);
      Files.write(target, in.readAllBytes());
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON the country database was built from: a list of {network: record} objects. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Map<String, Object>>> countryJson() {
    try (InputStream in = TestDatabases.class.getResourceAsStream(
        "/maxmind/GeoIP2-Country-Test.json")) {
      String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      // Typesafe Config reads JSON; its root must be an object, and keys stay literal.
      Object list = ConfigFactory.parseString("{\"list\": " + json + "}",
          ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON)).root().get("list")
          .unwrapped();
      return (List<Map<String, Map<String, Object>>>) list;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
