package io.dnslb.observe;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Process and JVM metrics under the names the Prometheus Java client's (1.x) default exports
 * use ({@code process_*}, {@code jvm_*}), so that stock dashboards and alerts work unchanged. Read
 * from the platform MXBeans and /proc at scrape time: nothing runs between scrapes, and a
 * dependency on the client library would cost more than these few lines.
 */
final class JvmMetrics {
  private JvmMetrics() {}

  static void writeTo(PrometheusText out) {
    process(out);
    memory(out);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    out.header("jvm_threads_current", "gauge", "Current thread count of the JVM");
    out.sample("jvm_threads_current", "", threads.getThreadCount());
    out.header("jvm_threads_daemon", "gauge", "Daemon thread count of the JVM");
    out.sample("jvm_threads_daemon", "", threads.getDaemonThreadCount());
    out.header("jvm_gc_collection_seconds", "summary", "Time spent in a given JVM garbage collector");
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      String label = PrometheusText.label("gc", gc.getName());
      out.sample("jvm_gc_collection_seconds_count", label, gc.getCollectionCount());
      out.sample("jvm_gc_collection_seconds_sum", label, gc.getCollectionTime() / 1000.0);
    }
    out.header("jvm_info", "gauge", "The JVM's version");
    out.sample("jvm_info", PrometheusText.label("runtime", System.getProperty("java.runtime.name", ""))
        + "," + PrometheusText.label("vendor", System.getProperty("java.vm.vendor", ""))
        + "," + PrometheusText.label("version", BuildInfo.JAVA), 1);
  }

  private static void process(PrometheusText out) {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      out.header("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds");
      out.sample("process_cpu_seconds_total", "", sun.getProcessCpuTime() / 1e9);
    }
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      out.header("process_open_fds", "gauge", "Number of open file descriptors");
      out.sample("process_open_fds", "", unix.getOpenFileDescriptorCount());
      out.header("process_max_fds", "gauge", "Maximum number of open file descriptors");
      out.sample("process_max_fds", "", unix.getMaxFileDescriptorCount());
    }
    out.header("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds");
    out.sample("process_start_time_seconds", "", ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0);
    long[] statm = statm();
    if (statm != null) {
      out.header("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes");
      out.sample("process_virtual_memory_bytes", "", statm[0]);
      out.header("process_resident_memory_bytes", "gauge", "Resident memory size in bytes");
      out.sample("process_resident_memory_bytes", "", statm[1]);
    }
  }

  /** Virtual and resident size in bytes from /proc/self/status (Linux), else null. */
  private static long[] statm() {
    try {
      long vm = -1;
      long rss = -1;
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmSize:")) {
          vm = kib(line);
        } else if (line.startsWith("VmRSS:")) {
          rss = kib(line);
        }
      }
      return vm < 0 || rss < 0 ? null : new long[] {vm, rss};
    } catch (IOException | RuntimeException e) {
      return null; // not Linux
    }
  }

  private static long kib(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
  }

  private static void memory(PrometheusText out) {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
    String h = PrometheusText.label("area", "heap");
    String n = PrometheusText.label("area", "nonheap");
    out.header("jvm_memory_used_bytes", "gauge", "Used bytes of a given JVM memory area");
    out.sample("jvm_memory_used_bytes", h, heap.getUsed());
    out.sample("jvm_memory_used_bytes", n, nonHeap.getUsed());
    out.header("jvm_memory_committed_bytes", "gauge", "Committed bytes of a given JVM memory area");
    out.sample("jvm_memory_committed_bytes", h, heap.getCommitted());
    out.sample("jvm_memory_committed_bytes", n, nonHeap.getCommitted());
    out.header("jvm_memory_max_bytes", "gauge", "Max bytes of a given JVM memory area");
    out.sample("jvm_memory_max_bytes", h, heap.getMax());
    out.sample("jvm_memory_max_bytes", n, nonHeap.getMax());
    out.header("jvm_buffer_pool_used_bytes", "gauge", "Used bytes of a given JVM buffer pool (Netty's direct buffers)");
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      out.sample("jvm_buffer_pool_used_bytes", PrometheusText.label("pool", pool.getName()),
          pool.getMemoryUsed());
    }
  }
}
