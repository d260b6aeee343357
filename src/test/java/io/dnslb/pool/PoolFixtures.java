package io.dnslb.pool;

import io.dnslb.config.ConfigError;
import io.dnslb.zone.ZoneDirectory;
import io.dnslb.zone.ZoneSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A zones directory with lb.example.com. in it, for pool tests. */
final class PoolFixtures {
  static final String ZONE = """
      $ORIGIN lb.example.com.
      @       3600 IN SOA ns1 hostmaster 1 3600 600 86400 60
      @       3600 IN NS  ns1
      ns1     3600 IN A   192.0.2.1
      static  3600 IN A   192.0.2.2
      alias   3600 IN CNAME www
      sub     3600 IN NS  ns1.example.net.
      txt     3600 IN TXT "a pool may share a name with non-address data"
      """;

  private PoolFixtures() {}

  static ZoneSet zones(Path dir) {
    write(dir, "lb.example.com.zone", ZONE);
    try {
      return ZoneDirectory.load(dir);
    } catch (ConfigError e) {
      throw new AssertionError(e);
    }
  }

  static Path write(Path dir, String name, String content) {
    try {
      return Files.writeString(dir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The body lines of one pool named web, wrapped so that the first body line is line 3. */
  static String webPool(String... body) {
    StringBuilder s = new StringBuilder("pools {\n  web {\n");
    for (String line : body) {
      s.append("    ").append(line).append('\n');
    }
    return s.append("  }\n}\n").toString();
  }
}
