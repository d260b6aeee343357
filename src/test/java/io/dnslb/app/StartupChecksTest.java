package io.dnslb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StartupChecksTest {
  @Test
  void aLowOpenFileLimitIsNamedWithWhatTheCapsNeed() {
    assertEquals(Optional.of("the open-file limit is 1024, below the 1384 that 1000 TCP and 128"
        + " HTTP connections plus 256 for files and probes need: raise it (ulimit -n,"
        + " LimitNOFILE=) or lower dnslb.dns.tcp.max-connections"),
        StartupChecks.fileDescriptors(1024, 1000, 128));
    assertEquals(Optional.empty(), StartupChecks.fileDescriptors(65536, 1000, 128));
    assertEquals(Optional.empty(), StartupChecks.fileDescriptors(-1, 1000, 128));
    assertTrue(StartupChecks.maxFileDescriptors() > 0, "this JVM can tell its limit");
    if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
      assertEquals(unix.getMaxFileDescriptorCount(), StartupChecks.maxFileDescriptors(),
          "/proc/self/limits says what the JVM's bean says");
    }
  }

  @Test
  void anHttpEndpointOffLoopbackIsWarnedAbout() {
    assertEquals(Optional.empty(), StartupChecks.httpExposure(new InetSocketAddress("127.0.0.1",
        8053)));
    assertEquals(Optional.empty(), StartupChecks.httpExposure(new InetSocketAddress("::1", 8053)));
    assertEquals(Optional.empty(), StartupChecks.httpExposure(null));
    assertTrue(StartupChecks.httpExposure(new InetSocketAddress("0.0.0.0", 8053)).orElseThrow()
        .startsWith("the HTTP endpoint listens on 0.0.0.0:8053, not loopback"));
  }
}
