package io.dnslb.app;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Risks worth one WARN line at start: they are the operator's to fix, not ours to refuse. */
final class StartupChecks {
  /** File descriptors beside connections: zone files, probes, epoll, the JVM's own jars. */
  static final int RESERVE_FDS = 256;

  private StartupChecks() {}

  /**
   * When the open-file limit is below what the connection caps allow, a flood of connections
   * would take the descriptors that reloads, probes and DNS over TCP need.
   *
   * @param maxFds the process's limit, or negative when unknown
   */
  static Optional<String> fileDescriptors(long maxFds, int tcpConnections, int httpConnections) {
    long needed = (long) tcpConnections + httpConnections + RESERVE_FDS;
    if (maxFds < 0 || maxFds >= needed) {
      return Optional.empty();
    }
    return Optional.of("the open-file limit is " + maxFds + ", below the " + needed + " that "
        + tcpConnections + " TCP and " + httpConnections + " HTTP connections plus " + RESERVE_FDS
        + " for files and probes need: raise it (ulimit -n, LimitNOFILE=) or lower"
        + " dnslb.dns.tcp.max-connections");
  }

  /**
   * The process's open-file limit, or -1 where the JVM cannot tell. On Linux from
   * /proc/self/limits: the JVM's management beans would take a tenth of a second of CPU to start
   * for this one number, before the first answer.
   */
  static long maxFileDescriptors() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
          return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
        }
      }
    } catch (IOException | RuntimeException notLinux) {
      // the management bean below
    }
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.UnixOperatingSystemMXBean unix
        ? unix.getMaxFileDescriptorCount() : -1;
  }

  /** The HTTP endpoint answers anyone who can reach it; off loopback, say so. */
  static Optional<String> httpExposure(InetSocketAddress bound) {
    if (bound == null || bound.getAddress().isLoopbackAddress()) {
      return Optional.empty();
    }
    return Optional.of("the HTTP endpoint listens on " + io.dnslb.config.HostPort.format(bound)
        + ", not loopback: /status and /metrics (pool members, addresses, health, errors) are"
        + " readable by anyone who can reach it; restrict it with a firewall, bind it to"
        + " 127.0.0.1, or set dnslb.admin.protect-reads = true (reads then need the admin token)");
  }
}
