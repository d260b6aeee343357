package io.dnslb.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dnslb.time.ManualTicker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The down-quorum fold, without etcd: who votes, how many must see a member down. */
class FleetHealthTest {
  static final FleetHealth.Verdict UP = new FleetHealth.Verdict(true, "HTTP 200", Instant.EPOCH);
  static final FleetHealth.Verdict DOWN = new FleetHealth.Verdict(false, "HTTP 503", Instant.EPOCH);

  final List<String> changes = new ArrayList<>();
  final ManualTicker ticker = new ManualTicker();

  FleetHealth fleet(String quorum) {
    FleetHealth f = new FleetHealth("ns1", new DownQuorum(quorum), ticker);
    f.listener((pool, address, up) -> changes.add(pool + " " + address + " " + (up ? "up" : "down")));
    return f;
  }

  @Test
  void aloneTheOwnVerdictDecides() {
    FleetHealth f = fleet("majority");
    assertNull(f.state("web", "192.0.2.1"));
    f.own("web", "192.0.2.1", false, "timeout");
    assertEquals(false, f.state("web", "192.0.2.1"));
    f.own("web", "192.0.2.1", true, "HTTP 200");
    assertEquals(List.of("web 192.0.2.1 down", "web 192.0.2.1 up"), changes);
  }

  @Test
  void ownVerdictsAreStampedWithTheServersTime() {
    FleetHealth f = fleet("majority");
    f.own("web", "192.0.2.1", false, "timeout");
    assertEquals(ticker.instant(), f.ownVerdicts().get("web 192.0.2.1").at());
    Instant before = ticker.instant();
    ticker.advance(Duration.ofSeconds(90));
    f.own("web", "192.0.2.1", true, "HTTP 200");
    assertEquals(before.plusSeconds(90), f.ownVerdicts().get("web 192.0.2.1").at());
    assertEquals(before.plusSeconds(90).toString(),
        f.ownVerdicts().get("web 192.0.2.1").fields().get("at"));
  }

  @Test
  void majorityOfThreeNeedsTwo() {
    FleetHealth f = fleet("majority");
    f.live(Set.of("ns1", "ns2", "ns3"), true);
    f.own("web", "a", false, "only I cannot reach it");
    f.peer("ns2", "web", "a", UP);
    f.peer("ns3", "web", "a", UP);
    assertEquals(true, f.state("web", "a"), "one of three is a partial view");
    f.peer("ns2", "web", "a", DOWN);
    assertEquals(false, f.state("web", "a"), "two of three is the fleet's verdict");
  }

  @Test
  void anyAllAndANumber() {
    FleetHealth any = fleet("any");
    any.live(Set.of("ns1", "ns2", "ns3"), true);
    any.own("web", "a", true, "");
    any.peer("ns2", "web", "a", DOWN);
    assertEquals(false, any.state("web", "a"));

    FleetHealth all = fleet("all");
    all.live(Set.of("ns1", "ns2", "ns3"), true);
    all.own("web", "a", false, "");
    all.peer("ns2", "web", "a", DOWN);
    all.peer("ns3", "web", "a", UP);
    assertEquals(true, all.state("web", "a"));

    FleetHealth two = fleet("2");
    two.live(Set.of("ns1", "ns2"), true);
    two.own("web", "a", false, "");
    assertEquals(false, two.state("web", "a"), "2 is capped at the 1 voter there is");
    two.peer("ns2", "web", "a", UP);
    assertEquals(true, two.state("web", "a"));
  }

  @Test
  void aServerWithoutAVerdictTakesTheFleetsAndDeadPeersDoNotVote() {
    FleetHealth f = fleet("majority");
    f.peersSnapshotById(Map.of("ns2", Map.of("web a", DOWN), "ns3", Map.of("web a", DOWN)));
    f.live(Set.of("ns1", "ns2", "ns3"), true);
    assertEquals(false, f.state("web", "a"), "warm start: no own verdict yet");
    f.own("web", "a", true, "");
    assertEquals(false, f.state("web", "a"));
    f.live(Set.of("ns1", "ns2"), true); // ns3's lease expired
    assertEquals(true, f.state("web", "a"), "1 of 2 is not more than half");
  }

  @Test
  void whenEtcdIsGoneForATtlOnlyOwnProbesCount() {
    FleetHealth f = fleet("majority");
    f.live(Set.of("ns1", "ns2", "ns3"), true);
    f.own("web", "a", true, "");
    f.peer("ns2", "web", "a", DOWN);
    f.peer("ns3", "web", "a", DOWN);
    assertEquals(false, f.state("web", "a"));
    f.live(Set.of(), false);
    assertEquals(true, f.state("web", "a"));
    assertEquals(Set.of("ns1"), f.liveServers());
  }
}
