package io.dnslb.bench;

import io.dnslb.answer.Catalog;
import io.dnslb.answer.ChaosAnswers;
import io.dnslb.answer.Responder;
import io.dnslb.query.PreparedCatalog;
import io.dnslb.query.QueryObserver;
import io.dnslb.query.QueryProcessor;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
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
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The whole query path without sockets: request bytes in, response bytes out, through
 * {@link QueryProcessor#process}, wired as {@code Server.start()} wires it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class QueryPathBenchmark {
  @Param({"staticA", "nxdomain", "cnameChain", "wildcard", "referral", "pooledWeighted",
      "pooledRoundRobin", "pooledFailover", "pooledSticky", "pooledStickyEcs", "pooledTopology",
      "pooledTopologyEcs"})
  public String kind;

  /** {@code fast}: as served; {@code general}: the fast path off, every query through dnsjava. */
  @Param({"fast", "general"})
  public String path;

  /**
   * {@code on}: bench.test is signed and every query sets DO (RRSIGs in the answers, compact
   * denial for nxdomain). Only {@code off} runs by default; add {@code -p dnssec=off,on}.
   */
  @Param({"off"})
  public String dnssec;

  private Path dir;
  private QueryProcessor processor;
  private byte[] query;
  private final byte[] out = new byte[65535];
  private InetAddress source;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    boolean signed = dnssec.equals("on");
    dir = BenchZones.write(signed);
    Catalog catalog = BenchZones.load(dir);
    // As Server.start() does, with the reference.conf defaults (payload 1232, chain 8).
    Responder responder = new Responder(1232, 8, new ChaosAnswers("", "", ""));
    PreparedCatalog prepared = PreparedCatalog.of(catalog);
    processor = new QueryProcessor(responder, () -> prepared,
        path.equals("fast") ? QueryObserver.NONE : GENERAL_ONLY);
    source = InetAddress.getByName("203.0.113.7");
    query = switch (kind) {
      case "staticA" -> query("static.bench.test.", false, signed);
      case "nxdomain" -> query("nothere.bench.test.", false, signed);
      case "cnameChain" -> query("chain1.bench.test.", false, signed);
      case "wildcard" -> query("anything.wild.bench.test.", false, signed);
      case "referral" -> query("www.child.bench.test.", false, signed);
      case "pooledWeighted" -> query("weighted.bench.test.", false, signed);
      case "pooledRoundRobin" -> query("roundrobin.bench.test.", false, signed);
      case "pooledFailover" -> query("failover.bench.test.", false, signed);
      case "pooledSticky" -> query("sticky.bench.test.", false, signed);
      case "pooledStickyEcs" -> query("sticky.bench.test.", true, signed);
      case "pooledTopology" -> query("topology.bench.test.", false, signed);
      case "pooledTopologyEcs" -> query("topology.bench.test.", true, signed);
      default -> throw new IllegalArgumentException(kind);
    };
    byte[] check = processor.process(query, source, false);
    Message reply = new Message(check);
    // Signed, a missing name is a compact-denial NODATA (rcode 0) and answers carry RRSIGs.
    boolean nx = kind.equals("nxdomain") && !signed;
    boolean wantsAnswer = kind.startsWith("pooled") || kind.equals("staticA");
    boolean signedAnswer = reply.getSection(Section.ANSWER).stream()
        .anyMatch(r -> r.getType() == Type.RRSIG);
    if (nx != (reply.getRcode() == 3)
        || wantsAnswer && reply.getSection(Section.ANSWER).isEmpty()
        || wantsAnswer && signed != signedAnswer) {
      throw new IllegalStateException(kind + ": unexpected reply " + reply);
    }
  }

  private static byte[] query(String name, boolean ecs, boolean dnssecOk) throws Exception {
    Message m = new Message(0x1234);
    m.addRecord(Record.newRecord(Name.fromString(name), Type.A, DClass.IN), Section.QUESTION);
    List<EDNSOption> options = ecs
        ? List.of(new ClientSubnetOption(24, InetAddress.getByName("198.18.7.0")))
        : List.of();
    m.addRecord(new OPTRecord(1232, 0, 0, dnssecOk ? org.xbill.DNS.ExtendedFlags.DO : 0,
        options), Section.ADDITIONAL);
    return m.toWire(65535);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    BenchZones.delete(dir);
  }

  /** As the UDP handler calls it: into a reused buffer, the response length returned. */
  @Benchmark
  public int process() {
    return processor.process(query, query.length, source, false, out);
  }

  /** The query log's observer: it wants decoded queries, so the fast path stands aside. */
  private static final QueryObserver GENERAL_ONLY = new QueryObserver() {
    @Override
    public void answered(boolean tcp, int qtype, int rcode, long nanos,
        io.dnslb.wire.Query q, Message r) {}

    @Override
    public void failed(RuntimeException e) {}

    @Override
    public boolean detailed() {
      return true;
    }
  };
}
