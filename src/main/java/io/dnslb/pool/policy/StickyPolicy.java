package io.dnslb.pool.policy;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import io.dnslb.config.ConfigError;
import io.dnslb.config.Integers;
import io.dnslb.config.StrictKeys;
import io.dnslb.wire.ClientSubnet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Weighted rendezvous hashing on the client subnet: each member scores {@code -ln(u) / weight}
 * with {@code u} a hash of (subnet cut to the sticky prefix, member address), and the lowest
 * scores win. A subnet keeps its member while that member is healthy; when one member goes
 * down only the subnets it had move (each to its own runner-up), and they come back when it
 * returns. The winner's distribution is exactly proportional to weight (the minimum of
 * exponential variables with rates {@code w_i} is {@code i} with probability {@code w_i / Σw}).
 *
 * <p>The member side of the hash is the address alone, not the check or the weight, so editing
 * a check does not reshuffle clients.
 */
public final class StickyPolicy implements Policy {
  /** Exists to pick a member: one address per answer unless the pool says more. */
  public static final PolicyType TYPE = new PolicyType("sticky", 1, true, StickyPolicy::read);
  private static final Set<String> KEYS = Set.of("ipv4-prefix", "ipv6-prefix");

  private final StickyPrefixes prefixes;

  public StickyPolicy(StickyPrefixes prefixes) {
    this.prefixes = prefixes;
  }

  /** {@code sticky { ipv4-prefix = 24, ipv6-prefix = 56 }}, both optional. */
  static Policy read(PolicyOptions options) {
    ConfigValue value = options.block(TYPE);
    if (value == null) {
      return new StickyPolicy(StickyPrefixes.DEFAULT);
    }
    String where = options.where();
    List<ConfigError> errors = options.errors();
    if (!(value instanceof ConfigObject block)) {
      errors.add(ConfigError.at(value.origin(), where + ": sticky must be a block"));
      return null;
    }
    int before = errors.size();
    StrictKeys.check(block, KEYS, where + " sticky", errors);
    StickyPrefixes prefixes = new StickyPrefixes(
        Integers.read(block, "ipv4-prefix", StickyPrefixes.DEFAULT.ipv4(), 1, 32, where, errors),
        Integers.read(block, "ipv6-prefix", StickyPrefixes.DEFAULT.ipv6(), 1, 128, where, errors));
    return errors.size() > before ? null : new StickyPolicy(prefixes);
  }

  public StickyPrefixes prefixes() {
    return prefixes;
  }

  @Override
  public String name() {
    return TYPE.name();
  }

  @Override
  public String ecsScopeMeaning() {
    return "the sticky cut";
  }

  /** The client's subnet is the whole point. */
  @Override
  public boolean usesClient() {
    return true;
  }

  @Override
  public Selector prepare(Candidate[] candidates) {
    int n = candidates.length;
    int[] members = new int[n];
    long[] seeds = new long[n];
    double[] inverseWeights = new double[n];
    long[] weights = Candidate.weights(candidates);
    for (int i = 0; i < n; i++) {
      members[i] = candidates[i].member();
      seeds[i] = candidates[i].seed();
      inverseWeights[i] = 1.0 / weights[i];
    }
    return new Rendezvous(members, seeds, inverseWeights, prefixes);
  }

  private record Rendezvous(int[] members, long[] seeds, double[] inverseWeights,
      StickyPrefixes prefixes) implements Selector {
    @Override
    public int select(ClientSubnet client, RandomGenerator random, int[] out, int limit) {
      long subnet = Hash64.ofPrefix(client.family(), client.address(),
          prefixes.forFamily(client.family()));
      int count = Math.min(limit, members.length);
      if (count == 1) {
        return selectOne(subnet, out);
      }
      double[] best = new double[count];
      int filled = 0;
      for (int i = 0; i < members.length; i++) {
        double score = -Math.log(Hash64.unit(Hash64.mix(subnet ^ seeds[i]))) * inverseWeights[i];
        if (filled == count && score >= best[count - 1]) {
          continue;
        }
        // Insertion into the short sorted list of the best scores so far.
        int j = filled < count ? filled++ : count - 1;
        while (j > 0 && best[j - 1] > score) {
          best[j] = best[j - 1];
          out[j] = out[j - 1];
          j--;
        }
        best[j] = score;
        out[j] = members[i];
      }
      return count;
    }

    /** The usual one-answer case without the score array: a fast-path answer allocates nothing. */
    private int selectOne(long subnet, int[] out) {
      double best = Double.POSITIVE_INFINITY;
      for (int i = 0; i < members.length; i++) {
        double score = -Math.log(Hash64.unit(Hash64.mix(subnet ^ seeds[i]))) * inverseWeights[i];
        if (score < best) {
          best = score;
          out[0] = members[i];
        }
      }
      return 1;
    }

    @Override
    public PolicyExplanation explain(ClientSubnet client, int answers) {
      int prefix = prefixes.forFamily(client.family());
      long subnet = Hash64.ofPrefix(client.family(), client.address(), prefix);
      List<double[]> scored = new ArrayList<>();
      for (int i = 0; i < members.length; i++) {
        scored.add(new double[] {
            -Math.log(Hash64.unit(Hash64.mix(subnet ^ seeds[i]))) * inverseWeights[i], i});
      }
      scored.sort(Comparator.comparingDouble(a -> a[0]));
      List<PolicyExplanation.Ranked> ranking = new ArrayList<>();
      for (int r = 0; r < scored.size(); r++) {
        double[] s = scored.get(r);
        ranking.add(new PolicyExplanation.Ranked(members[(int) s[1]], r == 0 ? 1.0 : 0.0,
            String.format("rank %d for this client's /%d (score %.4f, lower wins)", r + 1, prefix, s[0])));
      }
      String rule = "weighted rendezvous hashing on the client subnet cut to /" + prefix
          + ": the lowest scores answer, and a subnet keeps its member while it is up";
      return new PolicyExplanation(rule, ranking, true, Map.of());
    }

    @Override
    public int ecsScope(ClientSubnet client) {
      return prefixes.forFamily(client.family());
    }
  }
}
