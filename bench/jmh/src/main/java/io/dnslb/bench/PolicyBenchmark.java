package io.dnslb.bench;

import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolAnswer;
import io.dnslb.pool.PoolRuntime;
import io.dnslb.wire.ClientSubnet;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * One pool's selection, {@link PoolRuntime#answer}, for each policy over 8 IPv4 members
 * (weights 1..8, priorities 1 and 2), all healthy. Sticky varies the client /24 per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PolicyBenchmark {
  /** Pool ids of BenchZones.POOLS: weighted (1 answer), weighted3 (3), round-robin (8). */
  @Param({"weighted", "weighted3", "roundrobin", "sticky", "failover"})
  public String pool;

  private Path dir;
  private PoolRuntime runtime;
  private Name name;
  private final ClientSubnet[] clients = new ClientSubnet[256];
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = BenchZones.write();
    for (Pool p : BenchZones.load(dir).pools().all()) {
      if (p.id().equals(pool)) {
        runtime = (PoolRuntime) p;
      }
    }
    if (runtime == null) {
      throw new IllegalStateException("no pool " + pool);
    }
    name = Name.fromString(pool + ".bench.test.");
    for (int i = 0; i < clients.length; i++) {
      clients[i] = new ClientSubnet(1, new byte[] {(byte) 198, 18, (byte) i, 0}, 24, true);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    BenchZones.delete(dir);
  }

  @Benchmark
  public PoolAnswer answer() {
    ClientSubnet client = clients[next++ & 255];
    return runtime.answer(name, Type.A, client);
  }
}
