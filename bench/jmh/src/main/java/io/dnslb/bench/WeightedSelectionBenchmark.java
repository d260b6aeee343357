package io.dnslb.bench;

import io.dnslb.pool.policy.Candidate;
import io.dnslb.pool.policy.Selector;
import io.dnslb.pool.policy.WeightedPolicy;
import io.dnslb.wire.ClientSubnet;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The weighted policy's selection alone, as the member count grows: issue 12 found 16 answers
 * over 10,000 members at 1.2k q/s, because each answer after the first scanned every member.
 * Weights 1..1000 (member i has weight 1 + i % 1000).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WeightedSelectionBenchmark {
  @Param({"8", "1000", "10000"})
  public int members;

  @Param({"1", "16"})
  public int answers;

  private Selector selector;
  private int[] out;
  private final RandomGenerator random = new SplittableRandom(7);
  private final ClientSubnet client = new ClientSubnet(1, new byte[] {(byte) 198, 18, 0, 0}, 24,
      true);

  @Setup(Level.Trial)
  public void setUp() {
    Candidate[] candidates = new Candidate[members];
    for (int i = 0; i < members; i++) {
      candidates[i] = new Candidate(i, 1 + i % 1000, 1, i * 0x9E3779B97F4A7C15L);
    }
    selector = new WeightedPolicy().prepare(candidates);
    out = new int[answers];
  }

  @Benchmark
  public int select() {
    return selector.select(client, random, out) + out[0];
  }
}
