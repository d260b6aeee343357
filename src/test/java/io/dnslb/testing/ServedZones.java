package io.dnslb.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Base for end-to-end tests over the {@link TestZones} zones on one real server per class. */
public abstract class ServedZones {
  @TempDir static Path dir;
  protected static TestServer server;
  protected static DnsClient dns;

  @BeforeAll
  static void startServer() throws Exception {
    server = TestServer.in(dir)
        .file("example.test.zone", TestZones.EXAMPLE)
        .file("other.test.zone", TestZones.OTHER)
        .file("deep.zone", TestZones.DEEP)
        .start();
    dns = server.client();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }
}
