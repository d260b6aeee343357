package io.dnslb.pool.policy;

import java.util.function.Function;

/**
 * A balancing policy as pool files name it ({@code policy = NAME}): one constant in each policy's
 * file, one line in {@link Policies}.
 *
 * @param defaultAnswers how many addresses an answer carries when the pool does not say
 * @param options whether the policy takes a block of options named after it, such as
 *     {@code sticky { ipv4-prefix = 24 }}; a pool file refuses that block under another policy
 * @param reader the policy for one pool, read and validated from its options; it records every
 *     problem with FILE:LINE in {@link PolicyOptions#errors()} and then returns null
 */
public record PolicyType(String name, int defaultAnswers, boolean options,
    Function<PolicyOptions, Policy> reader) {

  /** A policy without options: every pool shares the one instance. */
  public static PolicyType plain(String name, int defaultAnswers, Policy policy) {
    return new PolicyType(name, defaultAnswers, false, o -> policy);
  }

  public Policy read(PolicyOptions options) {
    return reader.apply(options);
  }
}
