package io.dnslb.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
  private static List<String> lines(Metrics m, String prefix) {
    return m.render().lines().filter(l -> l.startsWith(prefix)).toList();
  }

  @Test
  void queriesByTransportQtypeAndRcodeWithBoundedLabels() {
    Metrics m = new Metrics();
    m.query(Metrics.Transport.UDP, 1, 0, 30_000);
    m.query(Metrics.Transport.UDP, 1, 0, 30_000);
    m.query(Metrics.Transport.TCP, 28, 3, 2_000_000);
    m.query(Metrics.Transport.UDP, 65280, 0, 1); // private-use qtype
    m.query(Metrics.Transport.UDP, 99, 4000, 1); // unknown qtype and out-of-range rcode
    assertEquals(List.of(
        "dnslb_queries_total{transport=\"udp\",qtype=\"A\",rcode=\"NOERROR\"} 2",
        "dnslb_queries_total{transport=\"udp\",qtype=\"OTHER\",rcode=\"NOERROR\"} 1",
        "dnslb_queries_total{transport=\"udp\",qtype=\"OTHER\",rcode=\"OTHER\"} 1",
        "dnslb_queries_total{transport=\"tcp\",qtype=\"AAAA\",rcode=\"NXDOMAIN\"} 1"),
        lines(m, "dnslb_queries_total{"));
  }

  @Test
  void responseTimeHistogramIsCumulative() {
    Metrics m = new Metrics();
    m.query(Metrics.Transport.UDP, 1, 0, 30_000); // 30 µs
    m.query(Metrics.Transport.UDP, 1, 0, 2_000_000); // 2 ms
    m.query(Metrics.Transport.UDP, 1, 0, 5_000_000_000L); // 5 s
    List<String> h = lines(m, "dnslb_response_seconds");
    assertTrue(h.contains("dnslb_response_seconds_bucket{le=\"5.0E-5\"} 1"), h.toString());
    assertTrue(h.contains("dnslb_response_seconds_bucket{le=\"0.0025\"} 2"), h.toString());
    assertTrue(h.contains("dnslb_response_seconds_bucket{le=\"0.1\"} 2"), h.toString());
    assertTrue(h.contains("dnslb_response_seconds_bucket{le=\"+Inf\"} 3"), h.toString());
    assertTrue(h.contains("dnslb_response_seconds_count 3"), h.toString());
    assertTrue(h.contains("dnslb_response_seconds_sum 5.00203"), h.toString());
  }

  @Test
  void poolsMembersChecksAndReloads() {
    Metrics m = new Metrics();
    m.poolAnswers("web").increment();
    m.poolAnswers("web").increment();
    m.checkResult("web", "http", true, 3_000_000);
    m.checkResult("web", "http", false, 3_000_000);
    m.stateChange("web", "down");
    m.memberHealth("web/a", "web", "192.0.2.1", false);
    m.memberHealth("web/b", "web", "192.0.2.2", true);
    m.memberRemoved("web/b");
    m.configReload(true);
    m.configReload(false);
    m.configReload(false);
    String text = m.render();
    assertTrue(text.contains("dnslb_pool_answers_total{pool=\"web\"} 2\n"), text);
    assertTrue(text.contains("dnslb_checks_total{pool=\"web\",type=\"http\",result=\"fail\"} 1\n"), text);
    assertTrue(text.contains("dnslb_check_seconds_count{type=\"http\"} 2\n"), text);
    assertTrue(text.contains("dnslb_health_changes_total{pool=\"web\",to=\"down\"} 1\n"), text);
    assertTrue(text.contains("dnslb_member_up{pool=\"web\",member=\"192.0.2.1\"} 0\n"), text);
    assertFalse(text.contains("192.0.2.2"), "removed member still exported");
    assertTrue(text.contains("dnslb_config_reloads_total{result=\"failed\"} 2\n"), text);
    assertTrue(text.contains("jvm_threads_current "), text);
    assertTrue(text.contains("jvm_memory_used_bytes{area=\"heap\"} "), text);
  }

  @Test
  void labelValuesAreEscaped() {
    assertEquals("pool=\"a\\\\b\\\"c\\nd\"", PrometheusText.label("pool", "a\\b\"c\nd"));
  }

  @Test
  void countsStayExactUnderConcurrentEventLoops() throws Exception {
    Metrics m = new Metrics();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 50_000; i++) {
          m.query(Metrics.Transport.UDP, 1, 0, 10_000);
          m.poolAnswers("web").increment();
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(List.of("dnslb_queries_total{transport=\"udp\",qtype=\"A\",rcode=\"NOERROR\"} 200000"),
        lines(m, "dnslb_queries_total{"));
    assertEquals(List.of("dnslb_pool_answers_total{pool=\"web\"} 200000"), lines(m, "dnslb_pool_answers_total{"));
  }

  @Test
  void configStateBuildInfoAndProcessMetricsForAlerts() {
    Metrics m = new Metrics();
    assertEquals(List.of("dnslb_config_last_reload_successful 0"),
        lines(m, "dnslb_config_last_reload_successful"));
    long before = System.currentTimeMillis() / 1000;
    m.configLoaded();
    assertEquals(List.of("dnslb_config_last_reload_successful 1"),
        lines(m, "dnslb_config_last_reload_successful"));
    double at = Double.parseDouble(lines(m, "dnslb_config_last_reload_success_timestamp_seconds ")
        .get(0).split(" ")[1]);
    assertTrue(at >= before && at < before + 60, "timestamp " + at);
    m.configReload(false);
    assertEquals(List.of("dnslb_config_last_reload_successful 0"),
        lines(m, "dnslb_config_last_reload_successful"));
    assertEquals(at, Double.parseDouble(lines(m, "dnslb_config_last_reload_success_timestamp_seconds ")
        .get(0).split(" ")[1]), "a failure keeps the time of the last success");
    assertTrue(lines(m, "dnslb_build_info{").get(0).matches("dnslb_build_info\\{version=\"[^\"]+\",java=\"[^\"]+\"\\} 1"),
        lines(m, "dnslb_build_info").toString());
    for (String name : List.of("process_cpu_seconds_total ", "process_resident_memory_bytes ",
        "process_open_fds ", "process_start_time_seconds ", "jvm_memory_used_bytes{area=\"nonheap\"} ",
        "jvm_gc_collection_seconds_count{")) {
      assertEquals(1, lines(m, name).size() > 0 ? 1 : 0, name + " missing");
    }
    double rss = Double.parseDouble(lines(m, "process_resident_memory_bytes ").get(0).split(" ")[1]);
    assertTrue(rss > 10e6, "rss " + rss);
  }

  @Test
  void poolGaugesAndPerMemberAnswers() {
    Metrics m = new Metrics();
    var counters = m.memberAnswers("web", List.of("192.0.2.1", "192.0.2.2"));
    counters[0].add(3);
    counters[1].increment();
    // a reload hands the same address the same counter
    assertEquals(counters[1], m.memberAnswers("web", List.of("192.0.2.2"))[0]);
    m.poolStates(() -> List.of(new PoolState("web", true, List.of(
        new PoolState.Member("192.0.2.1", "none", true),
        new PoolState.Member("192.0.2.2", "drain", false)))));
    String text = m.render();
    for (String line : List.of(
        "dnslb_member_answers_total{pool=\"web\",member=\"192.0.2.1\"} 3",
        "dnslb_member_answers_total{pool=\"web\",member=\"192.0.2.2\"} 1",
        "dnslb_pool_failing_open{pool=\"web\"} 1",
        "dnslb_member_in_rotation{pool=\"web\",member=\"192.0.2.1\"} 1",
        "dnslb_member_in_rotation{pool=\"web\",member=\"192.0.2.2\"} 0",
        "dnslb_member_admin_state{pool=\"web\",member=\"192.0.2.2\",state=\"drain\"} 1",
        "dnslb_member_admin_state{pool=\"web\",member=\"192.0.2.2\",state=\"none\"} 0")) {
      assertTrue(text.contains(line + "\n"), line + " in\n" + text);
    }
  }
}
