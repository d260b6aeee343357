package io.dnslb.pool.policy;

import java.util.List;
import java.util.Map;

/**
 * A selector's own account of how it answers one client: each policy explains itself, so a new
 * policy brings its explanation with it and {@code explain} never has to know its rule.
 *
 * @param rule one line, e.g. "every candidate up to 2 per answer, the order rotated by one per query"
 * @param ranking the candidates, best first: for a deterministic policy the next answer's order
 *     (or this client's ranking); for a random one, by probability
 * @param deterministic true when {@code ranking} is the answer itself (its first {@code answers}
 *     entries), false when the answer is drawn with the ranking's probabilities
 * @param excluded candidates the policy itself leaves out, by member index, with why (a lower
 *     failover tier)
 */
public record PolicyExplanation(String rule, List<Ranked> ranking, boolean deterministic,
    Map<Integer, String> excluded) {

  /**
   * One candidate's place.
   *
   * @param probability the chance it is the first address of an answer
   * @param why e.g. "weight 3 of 4", "rank 1 for 203.0.113.0/24"
   */
  public record Ranked(int member, double probability, String why) {}

  public PolicyExplanation {
    ranking = List.copyOf(ranking);
    excluded = Map.copyOf(excluded);
  }
}
