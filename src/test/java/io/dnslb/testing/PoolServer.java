package io.dnslb.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dnslb.health.HealthState;
import io.dnslb.health.HealthTable;
import io.dnslb.pool.MemberConfig;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

/**
 * The real server over the {@link #ZONE} zone and a pool file, started once for a test class,
 * plus a UDP client that keeps one socket open (so thousands of queries stay fast, and every
 * query comes from the same source address and port). A JUnit extension: register it on a
 * static field and it starts before the class's first test and stops after its last.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PoolServer lb = PoolServer.withPools("pools { ... }").upAfterEach();
 * }</pre>
 */
public final class PoolServer implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
  /** The zone pool names live in; pool files name their pools below pool.test. */
  public static final String ZONE = """
      $ORIGIN pool.test.
      $TTL 3600
      @        IN SOA ns1 hostmaster 7 3600 600 86400 60
      @        IN NS  ns1
      ns1      IN A   192.0.2.1
      static   IN A   192.0.2.2
      """;

  private final String pools;
  private String extraZoneLines = "";
  private final List<Consumer<Path>> setUps = new ArrayList<>();
  private final List<Consumer<TestServer.Builder>> settings = new ArrayList<>();
  private boolean upAfterEach;

  private Path dir;
  private TestServer server;
  private DatagramSocket socket;
  private int nextId = 1;

  private PoolServer(String pools) {
    this.pools = pools;
  }

  /** A server over ZONE and this pool file (pool.test.pools.conf). */
  public static PoolServer withPools(String pools) {
    return new PoolServer(pools);
  }

  /** Lines appended to ZONE (records beside the pool names). */
  public PoolServer zoneLines(String lines) {
    this.extraZoneLines = lines;
    return this;
  }

  /** Writes a file into the zones directory before the server starts (a networks file). */
  public PoolServer file(String name, String text) {
    return setUp(d -> {
      try {
        Files.writeString(d.resolve(name), text);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Prepares the zones directory before the server starts (copies a database into it). */
  public PoolServer setUp(Consumer<Path> step) {
    setUps.add(step);
    return this;
  }

  /** Overrides one server setting, as {@link TestServer.Builder#set}. */
  public PoolServer set(String path, Object value) {
    settings.add(b -> b.set(path, value));
    return this;
  }

  /**
   * After each test, every member is reported up again ({@link #allUp}), so the tests of a
   * class can take members down without undoing it themselves.
   */
  public PoolServer upAfterEach() {
    this.upAfterEach = true;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("dnslb-pool-test");
    setUps.forEach(s -> s.accept(dir));
    TestServer.Builder b = TestServer.in(dir)
        .file("pool.test.zone", ZONE + extraZoneLines)
        .file("pool.test.pools.conf", pools);
    settings.forEach(s -> s.accept(b));
    server = b.start();
    socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    socket.connect(server.address());
    socket.setSoTimeout(2000);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (upAfterEach) {
      allUp();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (socket != null) {
      socket.close();
    }
    if (server != null) {
      server.close();
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  public TestServer server() {
    return server;
  }

  public DnsClient client() {
    return server.client();
  }

  /** The zones directory the server reads. */
  public Path dir() {
    return dir;
  }

  /** The pool with this id. */
  public PoolRuntime pool(String id) {
    for (Pool p : server.server().catalog().pools().all()) {
      if (p.id().equals(id)) {
        return (PoolRuntime) p;
      }
    }
    throw new AssertionError("no pool " + id);
  }

  /**
   * Reports the member with this address up or down to the health table, as the prober would,
   * and applies it without waiting for the table's batch.
   */
  public void health(String poolId, String address, boolean up) {
    PoolRuntime pool = pool(poolId);
    report(pool.config().members().get(memberIndex(pool, address)), up);
    applied(pool);
  }

  /** Reports every member with an address up, in every pool: the state a test class starts in. */
  public void allUp() {
    List<PoolRuntime> all = new ArrayList<>();
    for (Pool p : server.server().catalog().pools().all()) {
      PoolRuntime pool = (PoolRuntime) p;
      all.add(pool);
      for (MemberConfig m : pool.config().members()) {
        if (m.address() != null) {
          report(m, true);
        }
      }
    }
    all.forEach(this::applied);
  }

  private void report(MemberConfig member, boolean up) {
    server.server().health().report(member.key(), up ? HealthState.UP : HealthState.DOWN);
  }

  private void applied(PoolRuntime pool) {
    HealthTable table = server.server().health();
    table.flush();
    // The table's own scheduled flush may be rebuilding this pool right now (and flush() above
    // then found nothing to do): a rebuild of our own waits for it and includes the new state,
    // and carries it up to the pools that list this one.
    pool.healthChanged();
  }

  public static int memberIndex(PoolRuntime pool, String address) {
    return pool.config().members().stream()
        .filter(m -> m.address() != null && m.address().getHostAddress().equals(address)
            || m.address().equals(parse(address)))
        .findFirst().orElseThrow(() -> new AssertionError("no member " + address)).index();
  }

  private static InetAddress parse(String address) {
    try {
      return InetAddress.getByName(address);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** One query over the kept socket; the reply must carry the query's ID. */
  public Message udp(Message query) throws IOException {
    int id = nextId++ & 0xffff;
    query.getHeader().setID(id);
    byte[] out = query.toWire();
    socket.send(new DatagramPacket(out, out.length));
    byte[] buf = new byte[4096];
    DatagramPacket in = new DatagramPacket(buf, buf.length);
    while (true) {
      try {
        socket.receive(in);
      } catch (SocketTimeoutException e) {
        throw new SocketTimeoutException("no UDP answer to " + query.getQuestion());
      }
      Message reply = new Message(Arrays.copyOf(buf, in.getLength()));
      if (reply.getHeader().getID() == id) {
        return reply;
      }
    }
  }

  public Message udp(String name, int type) throws IOException {
    return udp(DnsClient.query(name, type));
  }

  /** The replies to {@code queries} queries for name and type, in order. */
  public List<Message> replies(String name, int type, int queries) throws IOException {
    List<Message> out = new ArrayList<>(queries);
    for (int q = 0; q < queries; q++) {
      out.add(udp(name, type));
    }
    return out;
  }

  /**
   * How often each address was answered over {@code queries} queries for name and type.
   *
   * @param perAnswer how many addresses every answer must carry, or -1 for any number
   */
  public SortedMap<String, Integer> tally(String name, int type, int queries, int perAnswer)
      throws IOException {
    SortedMap<String, Integer> counts = new TreeMap<>();
    for (int q = 0; q < queries; q++) {
      List<String> answer = Answers.addresses(udp(name, type));
      if (perAnswer >= 0) {
        assertEquals(perAnswer, answer.size(), "query " + q + ": " + answer);
      }
      answer.forEach(a -> counts.merge(a, 1, Integer::sum));
    }
    return counts;
  }

  /** GET of a path on the server's HTTP endpoint (set http.listen), as text; must be 200. */
  public String http(String path) throws IOException, InterruptedException {
    var a = server.server().httpAddress();
    HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
        .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + path))
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }

  /** A query with an ECS option for address/sourcePrefix. */
  public static Message ecsQuery(String name, int type, String address, int sourcePrefix) {
    return DnsClient.edns(DnsClient.query(name, type), 1232, 0,
        new ClientSubnetOption(sourcePrefix, parse(address)));
  }

  /** The ECS option the server echoed, or null. */
  public static ClientSubnetOption echoedEcs(Message reply) {
    OPTRecord opt = reply.getOPT();
    if (opt == null) {
      return null;
    }
    List<EDNSOption> options = opt.getOptions(EDNSOption.Code.CLIENT_SUBNET);
    return options.isEmpty() ? null : (ClientSubnetOption) options.get(0);
  }
}
