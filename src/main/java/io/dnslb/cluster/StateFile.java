package io.dnslb.cluster;

import io.dnslb.json.Json;
import io.dnslb.pool.MemberOverride;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The overrides of a server without a cluster, in one JSON file ({@code dnslb.state-file}).
 * Written whole to a temporary file in the same directory, forced to disk, then renamed over the
 * old one: after {@code kill -9} or a power cut the file is the old version or the new, never a
 * torn mix.
 */
final class StateFile {
  private final Path path;

  StateFile(Path path) {
    this.path = path;
  }

  Path path() {
    return path;
  }

  /** The overrides in the file; none when it does not exist. */
  Map<String, Map<String, MemberOverride>> read() throws IOException {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Map.of();
    }
    Map<String, Map<String, MemberOverride>> out = new HashMap<>();
    try {
      Map<?, ?> root = (Map<?, ?>) Json.parse(text);
      for (Object o : (List<?>) root.get("overrides")) {
        Map<?, ?> m = (Map<?, ?>) o;
        out.computeIfAbsent(String.valueOf(m.get("pool")), k -> new HashMap<>())
            .put(String.valueOf(m.get("address")), OverrideJson.decode(m));
      }
    } catch (RuntimeException e) {
      throw new IOException(path + ": not a dnslb state file (" + e.getMessage() + ")", e);
    }
    return out;
  }

  void write(Map<String, Map<String, MemberOverride>> overrides) throws IOException {
    StringBuilder b = new StringBuilder("{\"version\":1,\"overrides\":[");
    String sep = "\n";
    for (var pool : new java.util.TreeMap<>(overrides).entrySet()) {
      for (var member : new java.util.TreeMap<>(pool.getValue()).entrySet()) {
        b.append(sep).append(OverrideJson.encode(pool.getKey(), member.getKey(), member.getValue()));
        sep = ",\n";
      }
    }
    b.append("\n]}\n");
    Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
