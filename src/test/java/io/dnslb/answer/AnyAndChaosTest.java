package io.dnslb.answer;

import static io.dnslb.testing.Answers.section;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.DnsClient;
import io.dnslb.testing.TestServer;
import io.dnslb.testing.TestZones;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class AnyAndChaosTest {
  @TempDir Path dir;

  @Test
  void anyGetsOneRRsetPerRfc8482OverUdpAndTcp() throws Exception {
    try (TestServer s = TestServer.in(dir).file("example.test.zone", TestZones.EXAMPLE).start()) {
      for (Message m : List.of(s.client().udp("www.example.test.", Type.ANY),
          s.client().tcp("www.example.test.", Type.ANY))) {
        assertEquals(Rcode.NOERROR, m.getRcode());
        assertEquals(List.of("www.example.test. 3600 A 192.0.2.80",
            "www.example.test. 3600 A 192.0.2.81"), section(m, Section.ANSWER),
            "one RRset (the lowest type), never the whole node");
      }
      Message nx = s.client().udp("nope.example.test.", Type.ANY);
      assertEquals(Rcode.NXDOMAIN, nx.getRcode());
    }
  }

  @Test
  void chaosIdentityIsRefusedByDefault() throws Exception {
    try (TestServer s = TestServer.in(dir).file("example.test.zone", TestZones.EXAMPLE).start()) {
      for (String name : List.of("version.bind.", "hostname.bind.", "id.server.")) {
        Message m = s.client().udp(DnsClient.query(name, Type.TXT, DClass.CH));
        assertEquals(Rcode.REFUSED, m.getRcode(), name);
      }
    }
  }

  @Test
  void chaosIdentityAnswersConfiguredStrings() throws Exception {
    try (TestServer s = TestServer.in(dir).file("example.test.zone", TestZones.EXAMPLE)
        .set("chaos.version-bind", "dnslb test").set("chaos.hostname-bind", "box1")
        .set("chaos.id-server", "ns1-fra").start()) {
      assertEquals(List.of("version.bind. 0 TXT \"dnslb test\""), section(
          s.client().udp(DnsClient.query("version.bind.", Type.TXT, DClass.CH)), Section.ANSWER));
      assertEquals(List.of("hostname.bind. 0 TXT \"box1\""), section(
          s.client().udp(DnsClient.query("hostname.bind.", Type.TXT, DClass.CH)), Section.ANSWER));
      Message id = s.client().udp(DnsClient.query("id.server.", Type.TXT, DClass.CH));
      assertEquals(List.of("id.server. 0 TXT \"ns1-fra\""), section(id, Section.ANSWER));
      assertTrue(id.getSection(Section.ANSWER).get(0).getDClass() == DClass.CH);
      Message other = s.client().udp(DnsClient.query("authors.bind.", Type.TXT, DClass.CH));
      assertEquals(Rcode.REFUSED, other.getRcode());
    }
  }
}
