package io.dnslb.bench;

import io.dnslb.answer.Catalog;
import io.dnslb.app.CatalogLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A temporary zones directory with one zone and one pool file, loaded as the server does. */
final class BenchZones {
  static final String ZONE = """
      $ORIGIN bench.test.
      $TTL 3600
      @        IN SOA ns1 hostmaster 1 3600 600 86400 60
      @        IN NS  ns1
      @        IN NS  ns2
      ns1      IN A   192.0.2.1
      ns2      IN A   192.0.2.2
      static   IN A   192.0.2.80
      static   IN A   192.0.2.81
      chain1   IN CNAME chain2
      chain2   IN CNAME static
      *.wild   IN A   192.0.2.99
      child    IN NS  ns.child
      ns.child IN A   192.0.2.53
      """;

  /** Eight IPv4 members, weights 1..8, two priority tiers. */
  static String members() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      sb.append("      { address = \"198.51.100.").append(10 + i).append("\", weight = ")
          .append(i + 1).append(", priority = ").append(i < 4 ? 1 : 2).append(" }\n");
    }
    return sb.toString();
  }

  static String pool(String id, String policy, int answers) {
    return "  " + id + " {\n    names = [\"" + id + ".bench.test.\"]\n    policy = " + policy
        + "\n    answers = " + answers + "\n    members = [\n" + members() + "    ]\n  }\n";
  }

  static final String POOLS = "pools {\n"
      + pool("weighted", "weighted", 1)
      + pool("weighted3", "weighted", 3)
      + pool("roundrobin", "round-robin", 8)
      + pool("sticky", "sticky", 1)
      + pool("failover", "failover", 1)
      // A topology pool over two one-member sites; the benchmark's source and ECS subnets are in
      // the networks file's "near" region.
      + "  site-a { members = [{ address = \"198.51.100.40\" }] }\n"
      + "  site-b { members = [{ address = \"198.51.100.41\" }] }\n"
      + "  topology {\n    names = [\"topology.bench.test.\"]\n    policy = topology\n"
      + "    topology {\n      networks = \"nets.conf\"\n      regions {\n"
      + "        near { pools = [site-a, site-b] }\n"
      + "        default { pools = [site-b, site-a] }\n      }\n    }\n"
      + "    members = [{ pool = \"site-a\" }, { pool = \"site-b\" }]\n  }\n"
      + "}\n";

  static final String NETS = "203.0.113.0/24 near\n198.18.0.0/15 near\n192.0.2.0/24 default\n";

  private BenchZones() {}

  static Path write() {
    return write(false);
  }

  /** With {@code signed}, bench.test gets a fresh ECDSA CSK and a {@code .dnssec.conf}. */
  static Path write(boolean signed) {
    try {
      Path dir = Files.createTempDirectory("dnslb-bench");
      Files.writeString(dir.resolve("bench.test.zone"), ZONE);
      Files.writeString(dir.resolve("bench.test.pools.conf"), POOLS);
      Files.writeString(dir.resolve("nets.conf"), NETS);
      if (signed) {
        io.dnslb.dnssec.KeyFiles.generate(dir.resolve("keys"),
            org.xbill.DNS.Name.fromString("bench.test."), 13, true, 3600, java.time.Instant.now());
        Files.writeString(dir.resolve("bench.test.dnssec.conf"), "dnssec { keys = \"keys/\" }\n");
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Catalog load(Path dir) {
    try {
      return CatalogLoader.load(dir);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
