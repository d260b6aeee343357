package io.dnslb.pool.topology;

import io.dnslb.wire.ClientSubnet;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A topology pool's map from client address to region, and each region's members in order.
 * Immutable and built at load time (a changed networks file or database reloads it, like a zone
 * file); a lookup is two bisections over arrays and allocates nothing.
 *
 * <p>A networks-file entry wins over the database; within each, the longest prefix wins; no
 * match is the {@code default} region.
 */
public final class Topology {
  /**
   * One region.
   *
   * @param members the pool's member indices in the order the region lists its pools
   */
  public record Region(String name, int[] members, List<String> pools) {}

  private final List<Region> regions;
  private final int defaultRegion;
  private final PrefixTables networks;
  private final PrefixTables geoip;
  private final String source;
  private final LongAdder[] answers;

  /**
   * @param source what the tables were built from, for /status (file names and sizes)
   */
  public Topology(List<Region> regions, int defaultRegion, PrefixTables networks,
      PrefixTables geoip, String source) {
    this.regions = List.copyOf(regions);
    this.defaultRegion = defaultRegion;
    this.networks = networks;
    this.geoip = geoip;
    this.source = source;
    this.answers = new LongAdder[regions.size()];
    for (int i = 0; i < answers.length; i++) {
      answers[i] = new LongAdder();
    }
  }

  /**
   * The client's region and the ECS scope its answer holds for, packed as by
   * {@link RangeTable#pack}: read with {@link RangeTable#value} and {@link RangeTable#prefix}.
   */
  public int lookup(ClientSubnet client) {
    int family = client.family();
    byte[] a = client.address();
    long hi = RangeTable.hi(a);
    long lo = RangeTable.lo(a, family);
    int own = networks.lookup(family, hi, lo);
    if (RangeTable.value(own) >= 0) {
      return own;
    }
    // Not in the networks file: the database decides, but the answer may only be cached for a
    // block that also stays clear of every networks-file entry, hence the larger prefix.
    int db = geoip.lookup(family, hi, lo);
    int region = RangeTable.value(db) >= 0 ? RangeTable.value(db) : defaultRegion;
    return RangeTable.pack(region, Math.max(RangeTable.prefix(own), RangeTable.prefix(db)));
  }

  public List<Region> regions() {
    return regions;
  }

  /** Counts one answer for a region (the /metrics answers per pool and region). */
  public void countAnswer(int region) {
    answers[region].increment();
  }

  /** The answers given to clients of a region so far. */
  public long answers(int region) {
    return answers[region].sum();
  }

  /**
   * Counts a region's answers in the given counter from now on (the metrics', which outlives
   * reloads). Call before the pool is published.
   */
  public void countAnswersIn(int region, LongAdder counter) {
    answers[region] = counter;
  }

  public String source() {
    return source;
  }
}
