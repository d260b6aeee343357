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
}
