package io.dnslb.pool.e2e;

import static io.dnslb.testing.Answers.addresses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dnslb.testing.PoolServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/** Round-robin over UDP: every healthy member up to answers, the order rotated by one per query. */
class RoundRobinE2ETest {
  static final List<String> ALL = List.of("192.0.2.10", "192.0.2.11", "192.0.2.12", "192.0.2.13");

  @RegisterExtension
  static final PoolServer lb = PoolServer.withPools("""
      pools {
        rr {
          names = ["rr.pool.test."]
          policy = round-robin
          members = [
            { address = "192.0.2.10" }
            { address = "192.0.2.11" }
            { address = "192.0.2.12" }
            { address = "192.0.2.13" }
          ]
        }
        rr2 {
          names = ["rr2.pool.test."]
          policy = round-robin
          answers = 2
          members = [
            { address = "192.0.2.10" }
            { address = "192.0.2.11" }
            { address = "192.0.2.12" }
            { address = "192.0.2.13" }
          ]
        }
      }
      """).upAfterEach();

  /** The cyclic window of members starting at start, count long. */
  static List<String> window(List<String> members, String start, int count) {
    int s = members.indexOf(start);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(members.get((s + i) % members.size()));
    }
    return out;
  }

  /** Eight queries: each answer is a window of the members, each starting one further on. */
  static void assertRotates(String name, List<String> members, int count) throws Exception {
    Message m = lb.udp(name, Type.A);
    List<String> previous = addresses(m);
    assertEquals(window(members, previous.get(0), count), previous);
    for (int q = 0; q < 2 * members.size(); q++) {
      List<String> answer = addresses(lb.udp(name, Type.A));
      String expectedFirst = members.get((members.indexOf(previous.get(0)) + 1) % members.size());
      assertEquals(window(members, expectedFirst, count), answer, "query " + q);
      previous = answer;
    }
  }

  @Test
  void answersEveryMemberRotatedByOnePerQuery() throws Exception {
    assertRotates("rr.pool.test.", ALL, 4);
  }

  @Test
  void answersAtMostAnswersMembers() throws Exception {
    assertRotates("rr2.pool.test.", ALL, 2);
  }

  @Test
  void downMembersLeaveTheRotation() throws Exception {
    lb.health("rr", "192.0.2.11", false);
    assertRotates("rr.pool.test.", List.of("192.0.2.10", "192.0.2.12", "192.0.2.13"), 3);
    lb.health("rr2", "192.0.2.10", false);
    lb.health("rr2", "192.0.2.12", false);
    assertRotates("rr2.pool.test.", List.of("192.0.2.11", "192.0.2.13"), 2);
  }

  @Test
  void everyMemberTakesItsTurnFirst() throws Exception {
    List<String> firsts = new ArrayList<>();
    for (int q = 0; q < 4; q++) {
      firsts.add(addresses(lb.udp("rr.pool.test.", Type.A)).get(0));
    }
    assertEquals(ALL.stream().sorted().toList(), firsts.stream().sorted().toList());
  }
}
