package io.dnslb.pool.e2e;

import static io.dnslb.pool.e2e.PoolServer.addresses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Every member down: fail-open answers as if all were up; servfail pools answer SERVFAIL. */
class AllDownE2ETest {
  static final List<String> OPEN = List.of("192.0.2.10", "192.0.2.11", "192.0.2.12");
  static final List<String> CLOSED = List.of("192.0.2.20", "192.0.2.21");

  @TempDir static Path dir;
  static PoolServer lb;

  @BeforeAll
  static void start() throws Exception {
    lb = PoolServer.start(dir, "", """
        pools {
          open {
            names = ["open.pool.test."]
            policy = round-robin
            when-all-down = fail-open
            members = [
              { address = "192.0.2.10" }
              { address = "192.0.2.11" }
              { address = "192.0.2.12" }
            ]
          }
          openw {
            names = ["openw.pool.test."]
            policy = weighted
            members = [
              { address = "192.0.2.30", weight = 1 }
              { address = "192.0.2.31", weight = 1 }
            ]
          }
          closed {
            names = ["closed.pool.test."]
            policy = weighted
            when-all-down = servfail
            members = [
              { address = "192.0.2.20" }
              { address = "192.0.2.21" }
            ]
          }
        }
        """);
  }

  @AfterAll
  static void stop() {
    lb.close();
  }

  @AfterEach
  void allUp() {
    OPEN.forEach(a -> lb.health("open", a, true));
    CLOSED.forEach(a -> lb.health("closed", a, true));
    List.of("192.0.2.30", "192.0.2.31").forEach(a -> lb.health("openw", a, true));
  }

  @Test
  void failOpenAnswersEveryMemberAsIfAllWereUp() throws Exception {
    OPEN.forEach(a -> lb.health("open", a, false));
    for (int q = 0; q < 6; q++) {
      Message m = lb.udp("open.pool.test.", Type.A);
      assertEquals(Rcode.NOERROR, m.getRcode());
      assertEquals(Set.copyOf(OPEN), Set.copyOf(addresses(m)));
      assertEquals(3, addresses(m).size());
    }
  }

  @Test
  void failOpenIsTheDefaultAndKeepsThePolicy() throws Exception {
    List.of("192.0.2.30", "192.0.2.31").forEach(a -> lb.health("openw", a, false));
    Set<String> seen = new TreeSet<>();
    for (int q = 0; q < 60; q++) {
      List<String> answer = addresses(lb.udp("openw.pool.test.", Type.A));
      assertEquals(1, answer.size(), "still weighted: one answer");
      seen.addAll(answer);
    }
    assertEquals(Set.of("192.0.2.30", "192.0.2.31"), seen);
  }

  @Test
  void servfailPoolAnswersServfail() throws Exception {
    lb.health("closed", "192.0.2.20", false);
    assertEquals(List.of("192.0.2.21"), addresses(lb.udp("closed.pool.test.", Type.A)));
    lb.health("closed", "192.0.2.21", false);
    Message m = lb.udp("closed.pool.test.", Type.A);
    assertEquals(Rcode.SERVFAIL, m.getRcode());
    assertEquals(2, m.getRcode());
    assertTrue(m.getSection(Section.ANSWER).isEmpty());
    lb.health("closed", "192.0.2.20", true);
    Message back = lb.udp("closed.pool.test.", Type.A);
    assertEquals(Rcode.NOERROR, back.getRcode());
    assertEquals(List.of("192.0.2.20"), addresses(back));
  }
}
