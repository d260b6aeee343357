package io.dnslb.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.DnsClient;
import io.dnslb.testing.TestServer;
import io.dnslb.testing.TestZones;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** A spoofed query must not buy a big response: limits hold for ANY and the biggest RRset. */
class AmplificationTest {
  /** What a REFUSED reply may add to the query: its OPT's EDE option (RFC 8914, code 20). */
  private static final int REFUSED_OVERHEAD = 6;

  @TempDir static Path dir;
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    StringBuilder zone = new StringBuilder(TestZones.EXAMPLE);
    for (int i = 0; i < 1000; i++) {
      zone.append("huge A 10.0.").append(i / 250).append('.').append(i % 250).append('\n');
    }
    server = TestServer.in(dir).file("example.test.zone", zone.toString()).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static byte[] ask(Message q) throws Exception {
    return server.client().udpRaw(q.toWire());
  }

  @Test
  void theBiggestRrsetFitsTheClientsLimit() throws Exception {
    byte[] plain = ask(DnsClient.query("huge.example.test.", Type.A));
    assertTrue(plain.length <= 512, plain.length + " bytes");
    assertTrue(new Message(plain).getHeader().getFlag(Flags.TC));
    byte[] edns = ask(DnsClient.edns(DnsClient.query("huge.example.test.", Type.A), 65535, 0));
    assertTrue(edns.length <= 1232, "capped by our udp-payload: " + edns.length);
  }

  @Test
  void anyStaysSmall() throws Exception {
    for (String name : new String[] {"example.test.", "www.example.test.", "huge.example.test."}) {
      byte[] plain = ask(DnsClient.query(name, Type.ANY));
      assertTrue(plain.length <= 512, name + ": " + plain.length);
      byte[] edns = ask(DnsClient.edns(DnsClient.query(name, Type.ANY), 4096, 0));
      assertTrue(edns.length <= 1232, name + ": " + edns.length);
    }
  }

  @Test
  void refusalsNeverAmplify() throws Exception {
    for (Message q : new Message[] {
        DnsClient.query("www.example.org.", Type.A),
        DnsClient.edns(DnsClient.query("www.example.org.", Type.ANY), 4096, 0),
        DnsClient.query("version.bind.", Type.TXT, org.xbill.DNS.DClass.CH)}) {
      byte[] sent = q.toWire();
      byte[] got = server.client().udpRaw(sent);
      assertEquals(Rcode.REFUSED, new Message(got).getRcode());
      assertTrue(got.length <= sent.length + REFUSED_OVERHEAD,
          got.length + " bytes for a " + sent.length + "-byte query");
    }
  }
}
