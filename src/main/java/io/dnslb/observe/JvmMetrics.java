package io.dnslb.observe;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/** The JVM basics worth a graph: heap, threads, uptime and GC, read from the platform MXBeans. */
final class JvmMetrics {
  private JvmMetrics() {}

  static void writeTo(PrometheusText out) {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    out.header("dnslb_jvm_heap_bytes", "gauge", "JVM heap memory");
    out.sample("dnslb_jvm_heap_bytes", PrometheusText.label("area", "used"), heap.getUsed());
    out.sample("dnslb_jvm_heap_bytes", PrometheusText.label("area", "committed"), heap.getCommitted());
    out.sample("dnslb_jvm_heap_bytes", PrometheusText.label("area", "max"), heap.getMax());
    out.header("dnslb_jvm_threads", "gauge", "Live JVM threads");
    out.sample("dnslb_jvm_threads", "", ManagementFactory.getThreadMXBean().getThreadCount());
    out.header("dnslb_uptime_seconds", "gauge", "Seconds since the JVM started");
    out.sample("dnslb_uptime_seconds", "", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    out.header("dnslb_jvm_gc_collections_total", "counter", "GC collections by collector");
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      out.sample("dnslb_jvm_gc_collections_total", PrometheusText.label("gc", gc.getName()), gc.getCollectionCount());
    }
    out.header("dnslb_jvm_gc_seconds_total", "counter", "GC time by collector");
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      out.sample("dnslb_jvm_gc_seconds_total", PrometheusText.label("gc", gc.getName()), gc.getCollectionTime() / 1000.0);
    }
  }
}
