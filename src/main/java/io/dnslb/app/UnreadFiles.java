package io.dnslb.app;

import io.dnslb.pool.PoolDirectory;
import io.dnslb.zone.ZoneDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Files in the zones directory that look like ours but are not read ({@code x.pool.conf},
 * {@code x.pools.cfg}, {@code x.ZONE}, {@code x.zone.bak}): a typo in a file name would otherwise
 * silently leave a zone or pool out. Hidden files (editors' swap files, Kubernetes' {@code ..data})
 * are left alone; a backup such as {@code x.zone.bak} is named, once per load, which is cheap
 * and reminds whoever left it there.
 */
public final class UnreadFiles {
  private UnreadFiles() {}

  /** One warning per look-alike file, naming it and the names that are read. */
  public static List<String> warnings(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .filter(UnreadFiles::looksLikeOurs)
          .sorted()
          .map(name -> dir.resolve(name) + ": not read: only *" + ZoneDirectory.SUFFIX + ", *"
              + PoolDirectory.SUFFIX + " and *" + io.dnslb.dnssec.DnssecSettings.SUFFIX
              + " files are (check the file name)")
          .toList();
    } catch (IOException e) {
      return List.of(); // the loader reports an unreadable directory
    }
  }

  static boolean looksLikeOurs(String name) {
    if (name.startsWith(".") || name.endsWith(ZoneDirectory.SUFFIX)
        || name.endsWith(PoolDirectory.SUFFIX)
        || name.endsWith(io.dnslb.dnssec.DnssecSettings.SUFFIX)) {
      return false;
    }
    String n = name.toLowerCase(Locale.ROOT);
    return n.contains(".zone") || n.contains(".pool") || n.endsWith(".conf")
        || n.endsWith(".cfg") || n.endsWith(".hocon");
  }
}
