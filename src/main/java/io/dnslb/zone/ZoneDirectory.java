package io.dnslb.zone;

import io.dnslb.config.ConfigError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.xbill.DNS.Name;

/** Loads every {@code *.zone} file of a directory into one {@link ZoneSet}. */
public final class ZoneDirectory {
  public static final String SUFFIX = ".zone";

  private ZoneDirectory() {}

  /** The zone files of a directory, sorted by name so that errors come in a stable order. */
  public static List<Path> files(Path dir) throws ConfigError {
    if (!Files.isDirectory(dir)) {
      throw new ConfigError(dir.toString(), 0, "zones directory does not exist");
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new ConfigError(dir.toString(), 0, "cannot list: " + e.getMessage());
    }
  }

  public static ZoneSet load(Path dir) throws ConfigError {
    List<Zone> zones = new ArrayList<>();
    Map<Name, Path> seen = new HashMap<>();
    for (Path file : files(dir)) {
      Zone z = ZoneLoader.load(file);
      Path other = seen.putIfAbsent(z.origin(), file);
      if (other != null) {
        throw new ConfigError(file.toString(), 1,
            "zone " + z.origin() + " is already loaded from " + other);
      }
      zones.add(z);
    }
    return new ZoneSet(zones);
  }
}
