package io.dnslb.dnssec;

import io.dnslb.config.ConfigError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * BIND-format key files, {@code K<zone>+<alg>+<tag>.key} (the DNSKEY record) and {@code .private}
 * ("Private-key-format: v1.3", "Algorithm:", "PrivateKey:" and optional timing lines), so keys
 * made by {@code dnssec-keygen} or exported from Knot work here and ours work there.
 */
public final class KeyFiles {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

  private KeyFiles() {}

  /** Far above any real key file (an RSA-4096 .private is about 3.3 kB). */
  private static final long MAX_KEY_FILE_BYTES = 64 * 1024;

  /** The file name prefix for a zone's keys: {@code Kexample.com.+}. */
  static String prefix(Name zone) {
    return "K" + zone.toString().toLowerCase(java.util.Locale.ROOT) + "+";
  }

  /**
   * Every key of the zone in the directory, sorted by file name. Errors name the file (or the
   * settings line that points at the directory) and what is wrong.
   *
   * @param where the settings file and line naming the keys directory, for "no keys" errors
   */
  public static List<SigningKey> load(Path dir, Name zone, String where, int line)
      throws ConfigError {
    if (!Files.isDirectory(dir)) {
      throw new ConfigError(where, line, "keys directory " + dir + " does not exist"
          + " (make a key: dnslb keygen " + zone + " --keys " + dir + ")");
    }
    List<Path> keyFiles;
    String prefix = prefix(zone);
    try (Stream<Path> s = Files.list(dir)) {
      keyFiles = s.filter(p -> {
        String n = p.getFileName().toString();
        return n.toLowerCase(java.util.Locale.ROOT).startsWith(prefix.toLowerCase(
            java.util.Locale.ROOT)) && n.endsWith(".key");
      }).sorted().toList();
    } catch (IOException e) {
      throw new ConfigError(dir.toString(), 0, "cannot list: " + e.getMessage());
    }
    if (keyFiles.isEmpty()) {
      throw new ConfigError(where, line, "no key for " + zone + " in " + dir + " (expected "
          + prefix + "<alg>+<tag>.key and .private; make one: dnslb keygen " + zone + " --keys "
          + dir + ")");
    }
    List<SigningKey> keys = new ArrayList<>();
    for (Path f : keyFiles) {
      keys.add(read(f, zone));
    }
    return keys;
  }

  /** Reads one pair from its .key file and the .private beside it. */
  static SigningKey read(Path keyFile, Name zone) throws ConfigError {
    DNSKEYRecord dnskey = null;
    List<String> lines = lines(keyFile);
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).trim();
      if (l.isEmpty() || l.startsWith(";")) {
        continue;
      }
      try {
        Record r = Record.fromString(Name.root, org.xbill.DNS.Type.DNSKEY, DClass.IN, 0,
            rdataOf(l, keyFile, i + 1), Name.root);
        dnskey = (DNSKEYRecord) r;
        Name owner = Name.fromString(l.split("\\s+")[0], Name.root);
        if (!owner.equals(zone)) {
          throw new ConfigError(keyFile.toString(), i + 1, "key is for " + owner + ", not " + zone);
        }
        long ttl = ttlOf(l);
        dnskey = new DNSKEYRecord(zone, DClass.IN, ttl, dnskey.getFlags(), dnskey.getProtocol(),
            dnskey.getAlgorithm(), dnskey.getKey());
      } catch (IOException e) {
        throw new ConfigError(keyFile.toString(), i + 1, "not a DNSKEY record: " + e.getMessage());
      }
      break;
    }
    if (dnskey == null) {
      throw new ConfigError(keyFile.toString(), 0, "no DNSKEY record in the file");
    }
    if (!Algorithms.supported(dnskey.getAlgorithm())) {
      throw new ConfigError(keyFile.toString(), 0, "algorithm " + dnskey.getAlgorithm()
          + " is not supported (" + Algorithms.NAMES + ")");
    }
    String base = keyFile.getFileName().toString();
    Path privFile = keyFile.resolveSibling(base.substring(0, base.length() - 4) + ".private");
    if (!Files.exists(privFile)) {
      throw new ConfigError(privFile.toString(), 0, "missing: the private key for " + keyFile);
    }
    List<String> priv = lines(privFile);
    byte[] secret = null;
    Instant[] times = new Instant[4];
    for (int i = 0; i < priv.size(); i++) {
      String l = priv.get(i);
      int colon = l.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String k = l.substring(0, colon).trim();
      String v = l.substring(colon + 1).trim();
      try {
        switch (k) {
          case "Algorithm" -> {
            int alg = Integer.parseInt(v.split("\\s+")[0]);
            if (alg != dnskey.getAlgorithm()) {
              throw new ConfigError(privFile.toString(), i + 1, "algorithm " + alg
                  + " does not match the public key's " + dnskey.getAlgorithm());
            }
          }
          case "PrivateKey" -> secret = Base64.getDecoder().decode(v);
          case "Publish" -> times[0] = stamp(v);
          case "Activate" -> times[1] = stamp(v);
          case "Inactive" -> times[2] = stamp(v);
          case "Delete" -> times[3] = stamp(v);
          default -> { }
        }
      } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
        throw new ConfigError(privFile.toString(), i + 1, "bad " + k + ": " + e.getMessage());
      }
    }
    if (secret == null) {
      throw new ConfigError(privFile.toString(), 0, "no PrivateKey line");
    }
    PrivateKey key;
    try {
      key = Algorithms.privateKey(dnskey.getAlgorithm(), secret);
      // A private key that does not belong to the public one would sign garbage: prove the pair.
      org.xbill.DNS.RRset probe = new org.xbill.DNS.RRset(dnskey);
      Instant now = Instant.now();
      DNSSEC.verify(probe, DNSSEC.sign(probe, dnskey, key, now, now.plusSeconds(60)), dnskey, now);
    } catch (java.security.GeneralSecurityException | DNSSEC.DNSSECException e) {
      throw new ConfigError(privFile.toString(), 0, "private key does not match " + keyFile
          + ": " + e.getMessage());
    }
    return new SigningKey(dnskey, key, privFile.toString(), times[0], times[1], times[2], times[3]);
  }

  /** Makes a new pair in dir; returns the .key file. A CSK/KSK has flags 257, a ZSK 256. */
  public static Path generate(Path dir, Name zone, int alg, boolean sep, long ttl, Instant now)
      throws IOException {
    KeyPair pair = Algorithms.generate(alg);
    DNSKEYRecord dnskey;
    try {
      dnskey = new DNSKEYRecord(zone, DClass.IN, ttl, sep ? 257 : 256, DNSKEYRecord.Protocol.DNSSEC,
          alg, pair.getPublic());
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException(e);
    }
    Files.createDirectories(dir);
    String base = String.format("%s%03d+%05d", prefix(zone), alg, dnskey.getFootprint());
    Path keyFile = dir.resolve(base + ".key");
    Path privFile = dir.resolve(base + ".private");
    String created = STAMP.format(now.atOffset(ZoneOffset.UTC));
    Files.writeString(keyFile, "; This is a " + (sep ? "key-signing" : "zone-signing")
        + " key, keyid " + dnskey.getFootprint() + ", for " + zone + "\n; Created: " + created
        + "\n" + dnskey + "\n", StandardCharsets.UTF_8);
    try {
      Files.createFile(privFile, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(privFile);
    }
    Files.writeString(privFile, "Private-key-format: v1.3\nAlgorithm: "
        + Algorithms.mnemonic(alg) + "\nPrivateKey: "
        + Base64.getEncoder().encodeToString(Algorithms.privateBytes(pair.getPrivate()))
        + "\nCreated: " + created + "\nPublish: " + created + "\nActivate: " + created + "\n",
        StandardCharsets.UTF_8);
    return keyFile;
  }

  /**
   * A key file's lines, read under the zones directory's rule for files: a symlink must resolve
   * inside its own (keys) directory and the file must be small. The keys directory itself may be
   * anywhere the settings say; only what is in it is confined, so that a link dropped into it
   * cannot make the server read another file (such as /etc/shadow) whose text would come back
   * in error messages.
   */
  private static List<String> lines(Path f) throws ConfigError {
    try {
      if (Files.isSymbolicLink(f)) {
        Path target = f.toRealPath();
        if (!target.startsWith(f.toAbsolutePath().getParent().toRealPath())) {
          throw new ConfigError(f.toString(), 0,
              "symlink resolves outside the keys directory, to " + target);
        }
      }
      if (Files.size(f) > MAX_KEY_FILE_BYTES) {
        throw new ConfigError(f.toString(), 0, "over " + MAX_KEY_FILE_BYTES
            + " bytes: not a key file");
      }
      return Files.readAllLines(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigError(f.toString(), 0, "cannot read: " + e);
    }
  }

  /** The rdata part of "owner [ttl] [IN] DNSKEY rdata". */
  private static String rdataOf(String line, Path f, int n) throws ConfigError {
    String[] t = line.split("\\s+");
    for (int i = 1; i < t.length - 1; i++) {
      if (t[i].equalsIgnoreCase("DNSKEY")) {
        return String.join(" ", java.util.Arrays.copyOfRange(t, i + 1, t.length));
      }
    }
    throw new ConfigError(f.toString(), n, "not a DNSKEY record");
  }

  private static long ttlOf(String line) {
    String[] t = line.split("\\s+");
    return t.length > 1 && t[1].matches("\\d+") ? Long.parseLong(t[1]) : 3600;
  }

  private static Instant stamp(String v) {
    return LocalDateTime.parse(v.split("\\s+")[0], STAMP).toInstant(ZoneOffset.UTC);
  }
}
