package io.dnslb.bench;

import io.dnslb.pool.topology.PrefixTables;
import io.dnslb.pool.topology.RangeTable;
import io.dnslb.pool.topology.Topology;
import io.dnslb.wire.ClientSubnet;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A topology pool's region lookup ({@link Topology#lookup}) at the size of a real GeoLite2
 * Country database: 300,000 IPv4 and 200,000 IPv6 disjoint networks in the database tables, plus
 * a 1,000-entry networks file with nested entries, over 4,096 random clients of the family. The
 * tables are built as the loader builds them from a database, so this is the per-query cost.
 * Run with {@code -prof gc}: the lookup allocates nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RegionLookupBenchmark {
  @Param({"ipv4", "ipv6"})
  public String family;

  private Topology topology;
  private final ClientSubnet[] clients = new ClientSubnet[4096];
  private int next;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(15);
    PrefixTables geo = new PrefixTables(RangeTable.of(32, disjoint(random, 32, 300_000, 24)),
        RangeTable.of(128, disjoint(random, 128, 200_000, 48)));
    List<RangeTable.Network> own4 = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      long hi = ((long) (10 << 24 | i << 12)) << 32;
      own4.add(new RangeTable.Network(hi, 0, 20, i % 4));
      own4.add(new RangeTable.Network(hi | (1L << 40), 0, 24, (i + 1) % 4)); // nested
    }
    PrefixTables nets = new PrefixTables(RangeTable.of(32, own4), RangeTable.empty(128));
    List<Topology.Region> regions = new ArrayList<>();
    for (int r = 0; r < 5; r++) {
      regions.add(new Topology.Region("r" + r, new int[] {r % 2}, List.of("a", "b")));
    }
    topology = new Topology(regions, 4, nets, geo, "bench");
    for (int i = 0; i < clients.length; i++) {
      byte[] a = new byte[family.equals("ipv4") ? 4 : 16];
      for (int b = 0; b < a.length; b++) {
        a[b] = (byte) random.nextInt(256);
      }
      if (i % 8 == 0 && a.length == 4) {
        a[0] = 10; // some clients in the networks file
      }
      if (a.length == 16) {
        a[0] = 0x20; // in the part of the space the database covers
        a[1] = 0;
      }
      clients[i] = new ClientSubnet(a.length == 4 ? 1 : 2, a, a.length * 8, true);
    }
  }

  /** n disjoint networks of one prefix length, spread over the space (as database leaves are). */
  private static List<RangeTable.Network> disjoint(SplittableRandom random, int bits, int n,
      int prefix) {
    List<RangeTable.Network> out = new ArrayList<>(n);
    long step = (prefix <= 32 ? (1L << prefix) : (1L << 40)) / n;
    for (int i = 0; i < n; i++) {
      long index = i * step + random.nextLong(Math.max(1, step / 2));
      long hi = bits == 32 ? index << (64 - prefix) & 0xFFFFFFFF00000000L
          : index << (64 - Math.min(prefix, 64)) >>> 0;
      if (bits == 128) {
        hi = (0x2000L << 48) | (index << 16);
      }
      out.add(new RangeTable.Network(hi, 0, prefix, i % 4));
    }
    return out;
  }

  @Benchmark
  public int lookup() {
    return topology.lookup(clients[next++ & 4095]);
  }
}
