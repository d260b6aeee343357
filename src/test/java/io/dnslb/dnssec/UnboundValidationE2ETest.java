package io.dnslb.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.pool.PoolRuntime;
import io.dnslb.testing.LoopbackPorts;
import io.dnslb.testing.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The proof that matters: a real validating resolver (Unbound, Debian package) on loopback,
 * with a stub zone pointing at dnslb and the zone's DS as its only trust anchor, answers a mixed
 * corpus (static names, CNAME chains, wildcards, missing names and types, empty non-terminals,
 * pools, one with {@code ttl = auto}, a delegation with DS and one without) while pool members
 * go up and down 20 times:
 * AD on every answer from signed data, none below the insecure delegation, 0 SERVFAIL, and
 * Unbound logs no validation failure. The 10,000-query run is bench/dnssec-unbound.sh.
 */
class UnboundValidationE2ETest {
  static final int QUERIES = Integer.getInteger("dnslb.unbound.queries", 2000);
  static final int FLIPS = 20;

  @TempDir static Path dir;
  @TempDir static Path unboundDir;
  static TestServer server;
  static Process unbound;
  static InetSocketAddress resolverAddress;

  /** One corpus entry: what Unbound must answer. */
  record Case(String name, int type, int rcode, boolean secure) {}

  static final List<Case> CORPUS = List.of(
      new Case("signed.example.", Type.SOA, Rcode.NOERROR, true),
      new Case("signed.example.", Type.NS, Rcode.NOERROR, true),
      new Case("signed.example.", Type.MX, Rcode.NOERROR, true),
      new Case("signed.example.", Type.DNSKEY, Rcode.NOERROR, true),
      new Case("signed.example.", Type.AAAA, Rcode.NOERROR, true),
      new Case("static.signed.example.", Type.A, Rcode.NOERROR, true),
      new Case("static.signed.example.", Type.AAAA, Rcode.NOERROR, true),
      new Case("static.signed.example.", Type.TXT, Rcode.NOERROR, true),
      new Case("static.signed.example.", Type.MX, Rcode.NOERROR, true),
      new Case("static.signed.example.", Type.NSEC, Rcode.NOERROR, true), // the NSEC as the answer
      new Case("alias.signed.example.", Type.A, Rcode.NOERROR, true),
      new Case("chain.signed.example.", Type.AAAA, Rcode.NOERROR, true),
      new Case("towww.signed.example.", Type.A, Rcode.NOERROR, true),
      new Case("x.wild.signed.example.", Type.A, Rcode.NOERROR, true),
      new Case("y.z.wild.signed.example.", Type.TXT, Rcode.NOERROR, true),
      new Case("x.wild.signed.example.", Type.MX, Rcode.NOERROR, true),
      new Case("nope.signed.example.", Type.A, Rcode.NOERROR, true),
      new Case("deeper.nope.signed.example.", Type.TXT, Rcode.NOERROR, true),
      new Case("c.signed.example.", Type.A, Rcode.NOERROR, true),
      new Case("b.c.signed.example.", Type.TXT, Rcode.NOERROR, true),
      new Case("a.b.c.signed.example.", Type.TXT, Rcode.NOERROR, true),
      new Case("www.signed.example.", Type.A, Rcode.NOERROR, true),
      new Case("www.signed.example.", Type.AAAA, Rcode.NOERROR, true),
      new Case("www.signed.example.", Type.TXT, Rcode.NOERROR, true),
      new Case("api.signed.example.", Type.A, Rcode.NOERROR, true),
      new Case("api.signed.example.", Type.AAAA, Rcode.NOERROR, true),
      new Case("auto.signed.example.", Type.A, Rcode.NOERROR, true), // ttl = auto, fast path
      new Case("toauto.signed.example.", Type.A, Rcode.NOERROR, true), // and general path
      new Case("mail.signed.example.", Type.A, Rcode.NOERROR, true),
      new Case("host.secure.signed.example.", Type.A, Rcode.NOERROR, true),
      new Case("nope.secure.signed.example.", Type.A, Rcode.NOERROR, true),
      new Case("secure.signed.example.", Type.DS, Rcode.NOERROR, true),
      new Case("insecure.signed.example.", Type.DS, Rcode.NOERROR, true),
      new Case("host.insecure.signed.example.", Type.A, Rcode.NOERROR, false),
      new Case("nope.insecure.signed.example.", Type.A, Rcode.NXDOMAIN, false),
      new Case("out.signed.example.", Type.A, Rcode.NOERROR, false));

  @BeforeAll
  static void start() throws Exception {
    Path binary = Path.of("/usr/sbin/unbound");
    Assumptions.assumeTrue(Files.isExecutable(binary),
        "\n*** SKIPPED: Unbound is not installed (apt-get install unbound); the validating-"
            + "resolver proof of DNSSEC did not run ***\n");
    SignedZones.write(dir, Algorithms.ECDSAP256SHA256);
    server = TestServer.in(dir).start();
    DSRecord ds = DnssecDirectory.ds(SignedZones.PARENT, SignedZones.parentSigningKey(dir), 300);
    int dnslb = server.address().getPort();
    int port = startUnbound(binary, ds, dnslb);
    resolverAddress = new InetSocketAddress("127.0.0.1", port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        ask("signed.example.", Type.SOA);
        break;
      } catch (IOException e) {
        if (System.nanoTime() > deadline || !unbound.isAlive()) {
          throw new IllegalStateException("Unbound did not start: "
              + Files.readString(unboundDir.resolve("unbound.out")), e);
        }
        Thread.sleep(200);
      }
    }
  }

  /**
   * Unbound on a loopback port free for UDP and TCP (it binds both), started again on another
   * when it exits at once (the port taken between the choice and its bind, seen in a full run).
   */
  private static int startUnbound(Path binary, DSRecord ds, int dnslb) throws IOException,
      InterruptedException {
    for (int attempt = 1; ; attempt++) {
      int port = LoopbackPorts.freeUdpAndTcp();
      Files.writeString(unboundDir.resolve("unbound.conf"), """
          server:
            interface: 127.0.0.1
            port: %d
            do-ip6: no
            do-not-query-localhost: no
            username: ""
            chroot: ""
            directory: "%s"
            pidfile: ""
            logfile: "%s/unbound.log"
            use-syslog: no
            verbosity: 1
            val-log-level: 2
            num-threads: 1
            module-config: "validator iterator"
            qname-minimisation: no
            access-control: 127.0.0.0/8 allow
            cache-max-ttl: 0
            cache-max-negative-ttl: 0
            trust-anchor: "%s"
          remote-control:
            control-enable: no
          stub-zone:
            name: "signed.example."
            stub-addr: 127.0.0.1@%d
          stub-zone:
            name: "secure.signed.example."
            stub-addr: 127.0.0.1@%d
          stub-zone:
            name: "insecure.signed.example."
            stub-addr: 127.0.0.1@%d
          """.formatted(port, unboundDir, unboundDir,
          ds.toString().replaceAll("\\s+", " "), dnslb, dnslb, dnslb));
      unbound = new ProcessBuilder(binary.toString(), "-d", "-c",
          unboundDir.resolve("unbound.conf").toString())
          .redirectErrorStream(true)
          .redirectOutput(unboundDir.resolve("unbound.out").toFile())
          .start();
      if (!unbound.waitFor(2, TimeUnit.SECONDS) || attempt == 5) {
        return port; // running (or out of attempts: the wait below shows its output)
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (unbound != null) {
      unbound.destroy();
      unbound.waitFor(10, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
  }

  static Message ask(String name, int type) throws IOException {
    SimpleResolver r = new SimpleResolver(resolverAddress);
    r.setTimeout(Duration.ofSeconds(5));
    r.setEDNS(0, 1232, ExtendedFlags.DO);
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type,
        org.xbill.DNS.DClass.IN));
    q.getHeader().setFlag(Flags.AD);
    return r.send(q);
  }

  @Test
  void everySignedAnswerValidatesWhileMembersGoUpAndDown() throws Exception {
    PoolRuntime api = (PoolRuntime) server.server().catalog().pool(
        Name.fromString("api.signed.example."));
    PoolRuntime web = (PoolRuntime) server.server().catalog().pool(
        Name.fromString("www.signed.example."));
    List<String> failures = new ArrayList<>();
    int flipEvery = QUERIES / FLIPS;
    int servfail = 0;
    for (int i = 0; i < QUERIES; i++) {
      if (i % flipEvery == flipEvery - 1) {
        int flip = i / flipEvery;
        SignedZones.health(server, api, flip % 3, flip % 2 == 1);
        SignedZones.health(server, web, flip % 2, flip % 4 >= 2);
      }
      Case c = CORPUS.get(i % CORPUS.size());
      Message m = ask(c.name(), c.type());
      boolean ad = m.getHeader().getFlag(Flags.AD);
      if (m.getRcode() == Rcode.SERVFAIL) {
        servfail++;
      }
      if (m.getRcode() != c.rcode() || ad != c.secure()) {
        if (failures.size() < 10) {
          failures.add(c + " -> " + Rcode.string(m.getRcode()) + (ad ? " AD" : " no AD")
              + "\n" + m);
        } else {
          failures.add(c.toString());
        }
      }
    }
    System.out.println("unbound: " + QUERIES + " queries, " + FLIPS + " member flips, "
        + failures.size() + " wrong, " + servfail + " SERVFAIL");
    String log = Files.exists(unboundDir.resolve("unbound.log"))
        ? Files.readString(unboundDir.resolve("unbound.log")) : "";
    assertEquals(0, servfail, "SERVFAIL answers; Unbound log:\n" + tail(log));
    assertTrue(failures.isEmpty(), failures.size() + " wrong answers of " + QUERIES + ", first: "
        + failures.subList(0, Math.min(10, failures.size())) + "\nUnbound log:\n" + tail(log));
    assertTrue(!log.contains("validation failure"), tail(log));
  }

  /** delv (BIND's validating lookup) through Unbound, anchored at the zone's DS: a few names. */
  @Test
  void delvFullyValidatesSpotChecks() throws Exception {
    Path delv = Path.of("/usr/bin/delv");
    Assumptions.assumeTrue(Files.isExecutable(delv),
        "\n*** SKIPPED: delv is not installed (apt-get install bind9-dnsutils) ***\n");
    DSRecord ds = DnssecDirectory.ds(SignedZones.PARENT, SignedZones.parentSigningKey(dir), 300);
    Path anchors = unboundDir.resolve("delv-anchors.conf");
    Files.writeString(anchors, "trust-anchors { signed.example. static-ds " + ds.getFootprint()
        + " " + ds.getAlgorithm() + " " + ds.getDigestID() + " \""
        + org.xbill.DNS.utils.base16.toString(ds.getDigest()) + "\"; };\n");
    String[][] names = {
        {"static.signed.example.", "A"}, {"www.signed.example.", "A"},
        {"chain.signed.example.", "AAAA"}, {"x.wild.signed.example.", "TXT"},
        {"nope.signed.example.", "A"}, {"host.secure.signed.example.", "A"}};
    for (String[] q : names) {
      Process p = new ProcessBuilder(delv.toString(), "-a", anchors.toString(),
          "+root=signed.example.", "@127.0.0.1", "-p",
          Integer.toString(resolverAddress.getPort()), q[0], q[1])
          .redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertTrue(output.contains("fully validated"), q[0] + " " + q[1] + ":\n" + output);
    }
  }

  private static String tail(String log) {
    return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
  }
}
