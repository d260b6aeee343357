package io.dnslb.pool.e2e;

import io.dnslb.health.HealthState;
import io.dnslb.health.HealthTable;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolRuntime;
import io.dnslb.testing.DnsClient;
import io.dnslb.testing.TestServer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The real server over the {@link #ZONE} zone and a pool file, plus a UDP client that keeps one
 * socket open (so thousands of queries stay fast, and every query comes from the same source
 * address and port). Close it after use.
 */
final class PoolServer implements AutoCloseable {
  /** The zone pool names live in; pool files name their pools below pool.test. */
  static final String ZONE = """
      $ORIGIN pool.test.
      $TTL 3600
      @        IN SOA ns1 hostmaster 7 3600 600 86400 60
      @        IN NS  ns1
      ns1      IN A   192.0.2.1
      static   IN A   192.0.2.2
      """;

  private final TestServer server;
  private final DatagramSocket socket;
  private int nextId = 1;

  private PoolServer(TestServer server) throws IOException {
    this.server = server;
    this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    socket.connect(server.address());
    socket.setSoTimeout(2000);
  }

  /** Starts the server over ZONE plus extra zone lines, and the given pool file. */
  static PoolServer start(java.nio.file.Path dir, String extraZoneLines, String pools)
      throws Exception {
    return new PoolServer(TestServer.in(dir)
        .file("pool.test.zone", ZONE + extraZoneLines)
        .file("pool.test.pools.conf", pools)
        .start());
  }

  TestServer server() {
    return server;
  }

  DnsClient client() {
    return server.client();
  }

  /** The pool with this id. */
  PoolRuntime pool(String id) {
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
  void health(String poolId, String address, boolean up) {
    PoolRuntime pool = pool(poolId);
    HealthTable table = server.server().health();
    table.report(pool.config().members().get(memberIndex(pool, address)).key(),
        up ? HealthState.UP : HealthState.DOWN);
    table.flush();
  }

  static int memberIndex(PoolRuntime pool, String address) {
    return pool.config().members().stream()
        .filter(m -> m.address().getHostAddress().equals(address)
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
  Message udp(Message query) throws IOException {
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

  Message udp(String name, int type) throws IOException {
    return udp(DnsClient.query(name, type));
  }

  /** A query with an ECS option for address/sourcePrefix. */
  static Message ecsQuery(String name, int type, String address, int sourcePrefix) {
    return DnsClient.edns(DnsClient.query(name, type), 1232, 0,
        new ClientSubnetOption(sourcePrefix, parse(address)));
  }

  /** The ECS option the server echoed, or null. */
  static ClientSubnetOption echoedEcs(Message reply) {
    OPTRecord opt = reply.getOPT();
    if (opt == null) {
      return null;
    }
    List<EDNSOption> options = opt.getOptions(EDNSOption.Code.CLIENT_SUBNET);
    return options.isEmpty() ? null : (ClientSubnetOption) options.get(0);
  }

  /** The A and AAAA addresses of the answer section, in order. */
  static List<String> addresses(Message m) {
    List<String> out = new ArrayList<>();
    for (Record r : m.getSection(Section.ANSWER)) {
      if (r instanceof ARecord a) {
        out.add(a.getAddress().getHostAddress());
      } else if (r instanceof AAAARecord a) {
        out.add(a.getAddress().getHostAddress());
      }
    }
    return out;
  }

  /** The first address of the answer, or an AssertionError when there is none. */
  static String first(Message m) {
    List<String> a = addresses(m);
    if (a.isEmpty()) {
      throw new AssertionError("empty answer: " + m);
    }
    return a.get(0);
  }

  @Override
  public void close() {
    socket.close();
    server.close();
  }
}
