package io.dnslb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.config.ConfigError;
import io.dnslb.testing.TestZones;
import io.dnslb.zone.ZoneDirectory;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files an operator did not mean to serve: each fails the whole load with the file (and the line,
 * where there is one) named, so a reload keeps the old data and says why.
 */
class HostileFilesTest {
  @TempDir Path root;

  private Path zones() throws Exception {
    return Files.createDirectories(root.resolve("zones"));
  }

  private static ConfigError loadFails(Path dir) {
    return assertThrows(ConfigError.class, () -> CatalogLoader.load(dir));
  }

  @Test
  void zoneFileTruncatedMidRecord() throws Exception {
    Path dir = zones();
    String whole = TestZones.EXAMPLE;
    int cut = whole.indexOf("192.0.2.80") + 6; // "www A 192.0." and then the end of the file
    Path file = Files.writeString(dir.resolve("example.test.zone"), whole.substring(0, cut));
    ConfigError e = loadFails(dir);
    assertEquals(file.toString(), e.file());
    assertEquals(whole.substring(0, cut).split("\n").length, e.line(), e.getMessage());
  }

  @Test
  void zoneFileTruncatedInsideParentheses() throws Exception {
    Path dir = zones();
    Path file = Files.writeString(dir.resolve("example.test.zone"),
        "$ORIGIN example.test.\n$TTL 60\n@ SOA ns1 hostmaster ( 42 7200\n");
    ConfigError e = loadFails(dir);
    assertEquals(file.toString(), e.file());
    assertTrue(e.line() >= 3, e.getMessage());
  }

  @Test
  void aFileNameWithANewlineIsRefusedWithoutPrintingIt() throws Exception {
    Path dir = zones();
    Files.writeString(dir.resolve("x\nERROR forged.zone"), TestZones.EXAMPLE);
    ConfigError e = loadFails(dir);
    assertEquals(dir + ": file name \"x?ERROR forged.zone\" contains control characters",
        e.getMessage());
  }

  @Test
  void binaryFile() throws Exception {
    Path dir = zones();
    byte[] junk = new byte[4096];
    new Random(3).nextBytes(junk);
    Path file = Files.write(dir.resolve("example.test.zone"), junk);
    ConfigError e = loadFails(dir);
    assertEquals(file.toString(), e.file());
    assertTrue(e.line() >= 1, e.getMessage());
  }

  @Test
  void hugeFile() throws Exception {
    Path dir = zones();
    Path file = dir.resolve("example.test.zone");
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(ZoneDirectory.MAX_FILE_BYTES + 1); // sparse: no disk, no time
    }
    ConfigError e = loadFails(dir);
    assertEquals(file.toString(), e.file());
    assertTrue(e.problem().contains("over the limit"), e.getMessage());
  }

  @Test
  void zoneSymlinkOutOfTheDirectory() throws Exception {
    Path dir = zones();
    Path outside = Files.writeString(root.resolve("secret.zone"), TestZones.OTHER);
    Path link = Files.createSymbolicLink(dir.resolve("other.test.zone"), outside);
    ConfigError e = loadFails(dir);
    assertEquals(link.toString(), e.file());
    assertTrue(e.problem().contains("outside the zones directory"), e.getMessage());
  }

  @Test
  void poolSymlinkOutOfTheDirectory() throws Exception {
    Path dir = zones();
    Files.writeString(dir.resolve("example.test.zone"), TestZones.EXAMPLE);
    Path outside = Files.writeString(root.resolve("x.pools.conf"), "pools {}\n");
    Path link = Files.createSymbolicLink(dir.resolve("x.pools.conf"), outside);
    ConfigError e = loadFails(dir);
    assertEquals(link.toString(), e.file());
  }

  @Test
  void symlinksInsideTheDirectoryAreFine() throws Exception {
    Path dir = zones();
    Files.writeString(dir.resolve("other.test.zone.v2"), TestZones.OTHER);
    Files.createSymbolicLink(dir.resolve("other.test.zone"), Path.of("other.test.zone.v2"));
    assertEquals(1, CatalogLoader.load(dir).zones().zones().size());
  }
}
