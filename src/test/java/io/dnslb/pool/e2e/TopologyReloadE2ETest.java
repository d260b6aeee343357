package io.dnslb.pool.e2e;

import static io.dnslb.testing.Answers.addresses;
import static io.dnslb.testing.PoolServer.ecsQuery;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.app.ReloadStatus;
import io.dnslb.pool.topology.TestDatabases;
import io.dnslb.testing.Answers;
import io.dnslb.testing.PoolServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Changing the networks file while queries flow: every query is answered, from the old map or
 * the new, never neither; a broken networks file or database keeps the old map serving and says
 * why in the reload status.
 */
class TopologyReloadE2ETest {
  static final String POOLS = """
      pools {
        a-site { members = [{ address = "192.0.2.1" }] }
        b-site { members = [{ address = "192.0.2.2" }] }
        web {
          names = ["www.pool.test."]
          policy = topology
          topology {
            networks = "nets.conf"
            geoip = "GeoIP2-Country-Test.mmdb"
            regions {
              a       { pools = [a-site, b-site] }
              b       { pools = [b-site, a-site] }
              default { pools = [a-site, b-site] }
            }
          }
          members = [{ pool = "a-site" }, { pool = "b-site" }]
        }
      }
      """;

  @RegisterExtension
  static final PoolServer lb = PoolServer.withPools(POOLS).file("nets.conf", "10.0.0.0/8 a\n")
      .setUp(dir -> TestDatabases.copy(TestDatabases.COUNTRY, dir));

  static String answerFor(String client) throws Exception {
    return Answers.first(lb.udp(ecsQuery("www.pool.test.", Type.A, client, 24)));
  }

  @Test
  void reloadingTheNetworksFileUnderLoadLosesNoQuery() throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger sent = new AtomicInteger();
    List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> loaders = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      boolean ecs = t == 0;
      Thread loader = new Thread(() -> {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
          socket.connect(lb.server().address());
          socket.setSoTimeout(3000); // generous: a busy machine, a reload building tables
          byte[] buf = new byte[1500];
          for (int id = 1; running.get(); id++) {
            Message q = ecs ? ecsQuery("www.pool.test.", Type.A, "10.1.2.0", 24)
                : io.dnslb.testing.DnsClient.query("www.pool.test.", Type.A);
            q.getHeader().setID(id & 0xffff);
            byte[] out = q.toWire();
            socket.send(new DatagramPacket(out, out.length));
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
              socket.receive(in);
            } catch (SocketTimeoutException e) {
              problems.add("query " + id + " unanswered");
              continue;
            }
            Message reply = new Message(Arrays.copyOf(buf, in.getLength()));
            List<String> a = addresses(reply);
            if (reply.getHeader().getID() != (id & 0xffff) || reply.getRcode() != Rcode.NOERROR
                || a.size() != 1 || !Set.of("192.0.2.1", "192.0.2.2").contains(a.get(0))) {
              problems.add("query " + id + ": " + Rcode.string(reply.getRcode()) + " " + a);
            }
            sent.incrementAndGet();
          }
        } catch (Exception e) {
          problems.add(e.toString());
        }
      }, "topology-load-" + t);
      loader.start();
      loaders.add(loader);
    }
    for (int i = 0; i < 10; i++) {
      String region = i % 2 == 0 ? "b" : "a";
      Files.writeString(lb.dir().resolve("nets.conf"), "10.0.0.0/8 " + region + "\n"
          + "192.168.0.0/16 b\n".repeat(i % 2));
      ReloadStatus r = lb.server().server().reload();
      assertTrue(r.ok(), r.toString());
      assertEquals(region.equals("a") ? "192.0.2.1" : "192.0.2.2", answerFor("10.1.2.0"));
    }
    running.set(false);
    for (Thread t : loaders) {
      t.join(10_000);
    }
    System.out.println("[topology] " + sent.get() + " queries over 10 reloads, problems: "
        + problems);
    assertEquals(List.of(), problems);
    assertTrue(sent.get() > 100, "the load ran: " + sent.get());
  }

  @Test
  void theWatcherPicksUpAnEditedNetworksFileLikeAZoneFile() throws Exception {
    Files.writeString(lb.dir().resolve("nets.conf"), "10.0.0.0/8 a\n");
    assertTrue(lb.server().server().reload().ok());
    assertEquals("192.0.2.1", answerFor("10.1.2.0"));
    Files.writeString(lb.dir().resolve("nets.conf"), "10.0.0.0/8 b\n");
    long stop = System.nanoTime() + 15_000_000_000L; // debounce plus a busy machine
    while (!answerFor("10.1.2.0").equals("192.0.2.2") && System.nanoTime() < stop) {
      Thread.sleep(50);
    }
    assertEquals("192.0.2.2", answerFor("10.1.2.0"), "the watcher reloaded nets.conf");
  }

  @Test
  void aBrokenNetworksFileOrDatabaseKeepsTheOldMapServing() throws Exception {
    Files.writeString(lb.dir().resolve("nets.conf"), "10.0.0.0/8 b\n");
    assertTrue(lb.server().server().reload().ok());
    assertEquals("192.0.2.2", answerFor("10.1.2.0"));

    Path nets = lb.dir().resolve("nets.conf");
    Files.writeString(nets, "10.0.0.0/8 a\n10.0.0.0/33 a\n");
    ReloadStatus broken = lb.server().server().reload();
    assertFalse(broken.ok());
    assertEquals(nets + ":2: '10.0.0.0/33' is not a CIDR such as 192.0.2.0/24", broken.error());
    assertEquals("192.0.2.2", answerFor("10.1.2.0"));

    Files.writeString(nets, "10.0.0.0/8 b\n");
    Path db = lb.dir().resolve(TestDatabases.COUNTRY);
    byte[] good = Files.readAllBytes(db);
    Files.write(db, Arrays.copyOf(good, good.length / 3));
    ReloadStatus badDb = lb.server().server().reload();
    assertFalse(badDb.ok());
    assertTrue(badDb.error().startsWith(db + ": cannot read MaxMind database"), badDb.error());
    assertEquals("192.0.2.2", answerFor("10.1.2.0"));
    Files.write(db, good);
    assertTrue(lb.server().server().reload().ok());
  }
}
