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

  /**
   * No single zone or pool file may be larger: 256 MiB is about ten million records, which would
   * need about one and a half gigabytes of heap to load (see {@link ZoneMemory}). A bigger file is far more
   * likely a mistake (a log or a disk image renamed) than a zone, and would end in an
   * OutOfMemoryError that takes the serving world down instead of a clear error.
   */
  public static final long MAX_FILE_BYTES = 256L << 20;

  private ZoneDirectory() {}

  /** The zone files of a directory, sorted by name so that errors come in a stable order. */
  public static List<Path> files(Path dir) throws ConfigError {
    if (!Files.isDirectory(dir)) {
      throw new ConfigError(dir.toString(), 0, "zones directory does not exist");
    }
    return files(dir, SUFFIX);
  }

  /**
   * The regular files of a directory whose names end with the suffix, sorted by name; each must
   * be under {@link #MAX_FILE_BYTES} and, if a symlink, resolve inside the directory.
   *
   * <p>Why the symlink rule: whoever may drop files into the zones directory (a deploy job, a
   * zone editor) should not thereby make the server read any file it can open, such as a key or
   * /etc/shadow, whose lines would then come back in parse errors on the status page and in logs.
   * Links within the directory (a zone under two names, versioned files) stay allowed.
   */
  public static List<Path> files(Path dir, String suffix) throws ConfigError {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(suffix))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new ConfigError(dir.toString(), 0, "cannot list: " + e.getMessage());
    }
    for (Path file : files) {
      checkName(dir, file);
      checkFile(dir, file);
    }
    return files;
  }

  /** A newline in a file name would forge lines in every log and error that names the file. */
  private static void checkName(Path dir, Path file) throws ConfigError {
    String name = file.getFileName().toString();
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw new ConfigError(dir.toString(), 0, "file name \""
          + name.replaceAll("\\p{Cntrl}", "?") + "\" contains control characters");
    }
  }

  private static void checkFile(Path dir, Path file) throws ConfigError {
    try {
      if (Files.isSymbolicLink(file)) {
        Path target = file.toRealPath();
        if (!target.startsWith(dir.toRealPath())) {
          throw new ConfigError(file.toString(), 0,
              "symlink resolves outside the zones directory, to " + target);
        }
      }
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new ConfigError(file.toString(), 0, "file is " + size + " bytes, over the limit of "
            + MAX_FILE_BYTES + " for one file");
      }
    } catch (IOException e) {
      throw new ConfigError(file.toString(), 0, "cannot read: " + e.getMessage());
    }
  }

  /** The zone of a file, or the error that stopped it. */
  private static Object loadOrError(Path file) {
    try {
      return ZoneLoader.load(file);
    } catch (ConfigError e) {
      return e;
    }
  }

  public static ZoneSet load(Path dir) throws ConfigError {
    return load(dir, 0, null);
  }

  /**
   * Loads every zone file that loads, after checking that they fit in the heap beside the data
   * served now (see {@link ZoneMemory}). With an error list, adds one error per file that does
   * not load (a file stops at its first error: after a bad record the parser cannot tell where the
   * next one starts), so that {@code dnslb check} reports every broken file in one run; without
   * one, throws them all at the end.
   *
   * @param servedRecords records of the zones served now (0 at start), kept until the swap
   */
  public static ZoneSet load(Path dir, long servedRecords, List<ConfigError> errorsOrNull)
      throws ConfigError {
    List<ConfigError> errors = errorsOrNull != null ? errorsOrNull : new ArrayList<>();
    List<Zone> zones = new ArrayList<>();
    Map<Name, Path> seen = new HashMap<>();
    List<Path> files = files(dir);
    ZoneMemory memory = new ZoneMemory(Runtime.getRuntime().maxMemory(), servedRecords);
    for (Path file : files) {
      memory.admit(file);
    }
    // Files load independently: at start (and in check), with nothing served yet, every core
    // takes a share. On reload they load one after the other, so that a reload never takes more
    // than one core from the event loops answering queries.
    List<Object> loaded = (servedRecords == 0 && files.size() > 1 ? files.parallelStream()
        : files.stream()).map(ZoneDirectory::loadOrError).toList();
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      if (loaded.get(i) instanceof ConfigError e) {
        errors.add(e);
        continue;
      }
      Zone z = (Zone) loaded.get(i);
      Path other = seen.putIfAbsent(z.origin(), file);
      if (other != null) {
        errors.add(new ConfigError(file.toString(), 1,
            "zone " + z.origin() + " is already loaded from " + other));
        continue;
      }
      zones.add(z);
    }
    if (errorsOrNull == null && !errors.isEmpty()) {
      throw ConfigError.all(errors);
    }
    return new ZoneSet(zones);
  }
}
