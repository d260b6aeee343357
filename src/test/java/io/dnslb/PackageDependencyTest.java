package io.dnslb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Which package may use which (design.md, "The shape in one picture"), checked over the sources
 * as CoreDNS's presubmit checks its plugins: dependencies point down the layers only, so the
 * query path cannot grow a cycle and a leaf stays a leaf. A new package gets a layer here, one
 * line; an upward use is a design question, not a one-line fix to this table.
 */
class PackageDependencyTest {
  /** Layer of each package; a package may use packages of strictly lower layers only. */
  static final Map<String, Integer> LAYERS = Map.ofEntries(
      Map.entry("time", 0), // a leaf: the one time source (Ticker)
      Map.entry("wire", 0), // a leaf codec: uses nothing of ours
      Map.entry("config", 0),
      Map.entry("json", 0), // a leaf: the small JSON reader and writer
      Map.entry("zone", 1),
      Map.entry("pool.topology", 1), // region tables: address ranges, networks file, MaxMind
      Map.entry("pool.policy", 2),
      Map.entry("dnssec", 2), // signs zone data; answer and query read its signatures
      Map.entry("observe", 1),
      Map.entry("health.check", 2),
      Map.entry("health", 3),
      Map.entry("pool", 4), // reads the health table by index
      Map.entry("answer", 5),
      Map.entry("ratelimit", 5),
      Map.entry("query", 6),
      Map.entry("cluster", 6), // feeds the health table with peers' verdicts
      Map.entry("transport", 7),
      Map.entry("observe.http", 7),
      Map.entry("app", 8),
      Map.entry("cli", 9),
      Map.entry("", 10)); // io.dnslb.Main

  /**
   * Known exceptions, each to be removed, not added to: the checks and the prober share
   * ProbeResult and CheckSpec both ways until issue 10 gives the check block one validator
   * (then both move into health.check).
   */
  static final Set<String> KNOWN = Set.of("health.check -> health");

  /** Where Netty may appear (design.md): I/O packages only, never the query logic. */
  static final Set<String> NETTY = Set.of("transport", "observe.http", "cluster", "health.check",
      "health" /* the prober schedules probes on the auxiliary event loop */);

  private static final Pattern OURS =
      Pattern.compile("\\bio\\.dnslb\\.((?:[a-z][a-z0-9]*\\.)*)[A-Z]");
  private static final Pattern NETTY_USE = Pattern.compile("\\bio\\.netty\\.");
  private static final Path SOURCES = Path.of("src/main/java/io/dnslb");

  @Test
  void dependenciesPointDownTheLayers() {
    List<String> violations = violations(sources());
    assertEquals(List.of(), violations);
  }

  @Test
  void nettyStaysInTheIoPackages() {
    List<String> misplaced = new ArrayList<>();
    sources().forEach((file, text) -> {
      String pkg = packageOf(file);
      if (NETTY_USE.matcher(text).find() && !NETTY.contains(pkg)) {
        misplaced.add(file + " uses Netty");
      }
    });
    assertEquals(List.of(), misplaced);
  }

  /** The checker itself can fail: an upward use, an unknown package and a cycle are caught. */
  @Test
  void anUpwardImportIsCaught() {
    Map<String, String> files = new TreeMap<>();
    files.put("wire/Query.java", "package io.dnslb.wire;\nimport io.dnslb.query.FastPath;\n");
    files.put("pool/Pool.java", "package io.dnslb.pool;\nimport io.dnslb.answer.Catalog;\n");
    files.put("query/X.java", "package io.dnslb.query;\nimport io.dnslb.transport.DnsServer;\n");
    files.put("newpkg/Y.java", "package io.dnslb.newpkg;\n");
    files.put("answer/Z.java", "package io.dnslb.answer;\nio.dnslb.zone.Zone z;\n");
    List<String> found = violations(files);
    assertEquals(4, found.size(), found.toString());
    assertTrue(found.get(0).contains("newpkg"), found.toString());
  }

  static List<String> violations(Map<String, String> files) {
    List<String> out = new ArrayList<>();
    files.forEach((file, text) -> {
      String from = packageOf(file);
      Integer fromLayer = LAYERS.get(from);
      if (fromLayer == null) {
        out.add(file + ": package '" + from + "' has no layer in PackageDependencyTest");
        return;
      }
      Matcher m = OURS.matcher(text);
      while (m.find()) {
        String to = m.group(1).isEmpty() ? "" : m.group(1).substring(0, m.group(1).length() - 1);
        if (to.equals(from) || KNOWN.contains(from + " -> " + to)) {
          continue;
        }
        Integer toLayer = LAYERS.get(to);
        if (toLayer == null || toLayer >= fromLayer) {
          out.add(file + ": " + from + " (layer " + fromLayer + ") uses " + to + " (layer "
              + toLayer + ")");
        }
      }
    });
    return out;
  }

  /** The package below io.dnslb of a file path relative to the sources, "" for the root. */
  private static String packageOf(String file) {
    int slash = file.lastIndexOf('/');
    return slash < 0 ? "" : file.substring(0, slash).replace('/', '.');
  }

  /** Every main source file, by its path below io/dnslb, with its text. */
  private static Map<String, String> sources() {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      files.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
        try {
          out.put(SOURCES.relativize(p).toString().replace('\\', '/'), Files.readString(p));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertTrue(out.size() > 50, "sources not found from " + Path.of("").toAbsolutePath());
    return out;
  }
}
