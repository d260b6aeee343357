package io.dnslb.pool.policy;

import io.dnslb.wire.ClientSubnet;
import io.dnslb.pool.topology.RangeTable;
import io.dnslb.pool.topology.Topology;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;

/**
 * Answers by where the client is: the client (ECS subnet, else the source address) is looked up
 * in the pool's {@link Topology} to find its region, and the first member of the region's list
 * that is serving answers, so a region fails over site by site in the order it lists them. When
 * none of the region's members serves, {@code when-all-down} applies as for any pool: fail-open
 * answers from the region's first member, servfail answers SERVFAIL. The ECS scope is the
 * prefix of the network that decided, so resolvers cache per the real boundary.
 *
 * <p>The region's choice is computed per health change ({@link #prepare}); a query costs one
 * region lookup and an array read.
 */
public final class TopologyPolicy implements Policy {
  /** One member per answer: the region's choice. */
  public static final PolicyType TYPE = new PolicyType("topology", 1, true, TopologyPolicy::read);

  private final Topology topology;
  private final boolean failOpen;

  /** This policy over one pool's topology; {@code failOpen} is the pool's when-all-down. */
  public TopologyPolicy(Topology topology, boolean failOpen) {
    this.topology = topology;
    this.failOpen = failOpen;
  }

  /** The pool's {@code topology} block, required: see {@link TopologyReader}. */
  static Policy read(PolicyOptions options) {
    Topology topology = TopologyReader.read(options);
    return topology == null ? null : new TopologyPolicy(topology, options.failOpen());
  }

  public Topology topology() {
    return topology;
  }

  @Override
  public String name() {
    return TYPE.name();
  }

  @Override
  public List<ClientRegion> regions() {
    return topology.regions().stream().map(r -> new ClientRegion(r.name(), r.pools())).toList();
  }

  @Override
  public void countRegionAnswersIn(int region, LongAdder counter) {
    topology.countAnswersIn(region, counter);
  }

  @Override
  public String ecsScopeMeaning() {
    return "the network that decided the region";
  }

  @Override
  public boolean usesClient() {
    return true;
  }

  @Override
  public Selector prepare(Candidate[] candidates) {
    int size = 0;
    for (Candidate c : candidates) {
      size = Math.max(size, c.member() + 1);
    }
    boolean[] serving = new boolean[size];
    for (Candidate c : candidates) {
      serving[c.member()] = true;
    }
    int[] choice = new int[topology.regions().size()];
    for (int r = 0; r < choice.length; r++) {
      int[] list = topology.regions().get(r).members();
      choice[r] = failOpen ? list[0] : -1;
      for (int m : list) {
        if (m < size && serving[m]) {
          choice[r] = m;
          break;
        }
      }
    }
    return new ByRegion(topology, choice, serving);
  }

  /**
   * The member each region answers from for one health picture.
   *
   * @param choice by region index, a member index, or -1 for SERVFAIL
   * @param serving by member index (shorter when the last members are not candidates), whether
   *     the member is a candidate (serving); for explain
   */
  public record ByRegion(Topology topology, int[] choice, boolean[] serving) implements Selector {
    @Override
    public int select(ClientSubnet client, RandomGenerator random, int[] out, int limit) {
      return select(topology.lookup(client), out);
    }

    /** One region lookup for both the member and the scope (the general path echoes ECS). */
    @Override
    public long selectScoped(ClientSubnet client, RandomGenerator random, int[] out, int limit) {
      int found = topology.lookup(client);
      return Selector.scoped(select(found, out), RangeTable.prefix(found));
    }

    private int select(int found, int[] out) {
      int region = RangeTable.value(found);
      int member = choice[region];
      if (member < 0) {
        return 0;
      }
      topology.countAnswer(region);
      out[0] = member;
      return 1;
    }

    @Override
    public int regionChoice(int region) {
      return choice[region];
    }

    @Override
    public int ecsScope(ClientSubnet client) {
      return RangeTable.prefix(topology.lookup(client));
    }

    /**
     * The client's region and how it was matched (the deciding network's prefix), the region's
     * pool list in order, and which one serves; members before it are skipped as not serving,
     * members after it wait behind it, members not in the list are another region's.
     */
    @Override
    public PolicyExplanation explain(ClientSubnet client, int answers) {
      int found = topology.lookup(client);
      int region = RangeTable.value(found);
      int prefix = RangeTable.prefix(found);
      Topology.Region r = topology.regions().get(region);
      int member = choice[region];
      String rule = "region " + r.name() + " (matched by /" + prefix + " from "
          + topology.source() + ") lists " + String.join(", ", r.pools())
          + ": the first serving one answers"
          + (member < 0 ? "; none serves" : "");
      Map<Integer, String> excluded = new HashMap<>();
      int[] list = r.members();
      boolean passed = false;
      for (int k = 0; k < list.length; k++) {
        int m = list[k];
        if (m == member && !passed) {
          passed = true;
          continue;
        }
        excluded.putIfAbsent(m, passed
            ? "region " + r.name() + "'s choice " + (k + 1) + ": waits behind a serving one"
            : "region " + r.name() + "'s choice " + (k + 1) + ": not serving, skipped");
      }
      for (int m = 0; m < serving.length; m++) {
        if (serving[m]) {
          excluded.putIfAbsent(m, "not in region " + r.name() + "'s list");
        }
      }
      List<PolicyExplanation.Ranked> ranking = member < 0 ? List.of()
          : List.of(new PolicyExplanation.Ranked(member, 1.0, "region " + r.name() + "'s choice "
              + (position(list, member) + 1) + (member < serving.length && serving[member]
                  ? ": the first that serves" : ": none serves, failing open to the first")));
      return new PolicyExplanation(rule, ranking, true, excluded);
    }

    private static int position(int[] list, int member) {
      for (int k = 0; k < list.length; k++) {
        if (list[k] == member) {
          return k;
        }
      }
      return -1;
    }
  }
}
