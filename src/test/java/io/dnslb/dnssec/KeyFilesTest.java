package io.dnslb.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.config.ConfigError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

/** BIND-format key files: our pairs round-trip, BIND's are read, bad files name themselves. */
class KeyFilesTest {
  static final Name ZONE = Name.fromConstantString("example.test.");
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(ints = {13, 15})
  void generatedPairsLoadAndSign(int alg) throws Exception {
    Path keyFile = KeyFiles.generate(dir, ZONE, alg, true, 3600, Instant.now());
    assertTrue(keyFile.getFileName().toString().matches("Kexample\\.test\\.\\+0" + alg
        + "\\+\\d{5}\\.key"), keyFile.toString());
    List<SigningKey> keys = KeyFiles.load(dir, ZONE, "conf", 3);
    assertEquals(1, keys.size());
    SigningKey k = keys.get(0);
    assertEquals(alg, k.dnskey().getAlgorithm());
    assertEquals(257, k.dnskey().getFlags());
    RRset set = new RRset(k.dnskey());
    Instant now = Instant.now();
    DNSSEC.verify(set, DNSSEC.sign(set, k.dnskey(), k.key(), now, now.plusSeconds(60)),
        k.dnskey());
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(keyFile.resolveSibling(
            keyFile.getFileName().toString().replace(".key", ".private")))));
  }

  @Test
  void readsAKeyAsDnssecKeygenWritesIt() throws Exception {
    // dnssec-keygen -a ECDSAP256SHA256 -f KSK example.test (bind9-utils 9.18)
    Files.writeString(dir.resolve("Kexample.test.+013+31416.key"), """
        ; This is a key-signing key, keyid 31416, for example.test.
        ; Created: 20261205180000 (Sat Dec  5 18:00:00 2026)
        ; Publish: 20261205180000 (Sat Dec  5 18:00:00 2026)
        ; Activate: 20261205180000 (Sat Dec  5 18:00:00 2026)
        example.test. IN DNSKEY 257 3 13 PLACEHOLDER
        """);
    Path made = KeyFiles.generate(dir.resolve("made"), ZONE, 13, true, 3600, Instant.now());
    String rdata = Files.readAllLines(made).get(2).replaceFirst("^.*DNSKEY\\s+", "");
    String key = Files.readString(dir.resolve("Kexample.test.+013+31416.key"))
        .replace("257 3 13 PLACEHOLDER", rdata);
    Files.writeString(dir.resolve("Kexample.test.+013+31416.key"), key);
    String priv = Files.readString(made.resolveSibling(
        made.getFileName().toString().replace(".key", ".private")));
    Files.writeString(dir.resolve("Kexample.test.+013+31416.private"), priv
        + "Inactive: 20361205180000\n");
    SigningKey k = KeyFiles.load(dir, ZONE, "conf", 3).get(0);
    assertTrue(k.active(Instant.now()));
    assertTrue(!k.active(Instant.parse("2037-01-01T00:00:00Z")));
  }

  @Test
  void missingKeysAndPrivateFilesAreFileErrors() throws Exception {
    ConfigError none = assertThrows(ConfigError.class,
        () -> KeyFiles.load(dir, ZONE, "zones/example.test.dnssec.conf", 2));
    assertTrue(none.getMessage().startsWith("zones/example.test.dnssec.conf:2: no key for"
        + " example.test."), none.getMessage());
    Path keyFile = KeyFiles.generate(dir, ZONE, 13, true, 3600, Instant.now());
    Path priv = keyFile.resolveSibling(keyFile.getFileName().toString()
        .replace(".key", ".private"));
    Files.writeString(priv, "Private-key-format: v1.3\nAlgorithm: 13 (ECDSAP256SHA256)\n"
        + "PrivateKey: " + java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n");
    ConfigError mismatch = assertThrows(ConfigError.class, () -> KeyFiles.load(dir, ZONE, "c", 1));
    assertTrue(mismatch.getMessage().startsWith(priv + ": private key does not match"),
        mismatch.getMessage());
    Files.delete(priv);
    ConfigError missing = assertThrows(ConfigError.class, () -> KeyFiles.load(dir, ZONE, "c", 1));
    assertEquals(priv + ": missing: the private key for " + keyFile, missing.getMessage());
    ConfigError noDir = assertThrows(ConfigError.class,
        () -> KeyFiles.load(dir.resolve("nowhere"), ZONE, "z.dnssec.conf", 2));
    assertTrue(noDir.getMessage().startsWith("z.dnssec.conf:2: keys directory"), noDir.getMessage());
  }

  /**
   * The keys directory may lie outside the zones directory (absolute, or relative to the
   * settings file's directory as BIND's key-directory is to its directory), but a key file in it
   * that links elsewhere is refused: a link dropped there must not make the server read, and
   * quote in errors, another file.
   */
  @Test
  void keysLiveAnywhereButTheirFilesMayNotLinkOut() throws Exception {
    Path zones = Files.createDirectories(dir.resolve("zones"));
    Path outside = dir.resolve("secret-keys");
    KeyFiles.generate(outside, ZONE, 13, true, 3600, Instant.now());
    Path conf = zones.resolve("example.test.dnssec.conf");
    for (String keys : List.of("../secret-keys", outside.toString())) {
      Files.writeString(conf, "dnssec { keys = \"" + keys + "\" }\n");
      DnssecSettings s = DnssecSettings.load(conf, zones);
      assertEquals(outside.toRealPath(), s.keys().toRealPath());
      assertEquals(1, KeyFiles.load(s.keys(), ZONE, conf.toString(), s.keysLine()).size());
    }
    Path linked = Files.createDirectories(zones.resolve("keys"));
    Path shadow = Files.writeString(dir.resolve("shadow"), "root:$6$secret:19000:0:99999:7:::\n");
    Files.createSymbolicLink(linked.resolve("Kexample.test.+013+00001.key"), shadow);
    ConfigError e = assertThrows(ConfigError.class, () -> KeyFiles.load(linked, ZONE, "c", 1));
    assertEquals(linked.resolve("Kexample.test.+013+00001.key") + ": symlink resolves outside the"
        + " keys directory, to " + shadow.toRealPath(), e.getMessage());
    // a link inside the directory (versioned files) is fine
    Files.delete(linked.resolve("Kexample.test.+013+00001.key"));
    Path made = KeyFiles.generate(linked, ZONE, 13, true, 3600, Instant.now());
    Path moved = Files.move(made, linked.resolve("v1.key.txt"));
    Files.createSymbolicLink(made, moved.getFileName());
    assertEquals(1, KeyFiles.load(linked, ZONE, "c", 1).size());
  }
}
