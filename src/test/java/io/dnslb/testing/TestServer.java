package io.dnslb.testing;

import io.dnslb.app.Server;
import io.dnslb.config.ConfigError;
import io.dnslb.config.Settings;
import io.dnslb.time.Ticker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * The real server on 127.0.0.1, a free port, UDP and TCP, answering from zone files a test writes
 * into a fresh directory. Close it after use.
 */
public final class TestServer implements AutoCloseable {
  private final Path dir;
  private final Server server;
  private final DnsClient client;

  private TestServer(Path dir, Settings settings, Ticker ticker) throws Exception {
    this.dir = dir;
    this.server = new Server(settings, ticker);
    server.start();
    this.client = new DnsClient(server.dnsAddresses().get(0));
  }

  public static Builder in(Path dir) {
    return new Builder(dir);
  }

  public DnsClient client() {
    return client;
  }

  public InetSocketAddress address() {
    return server.dnsAddresses().get(0);
  }

  public Server server() {
    return server;
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    server.close();
  }

  public static final class Builder {
    private final Path dir;
    private final Map<String, Object> settings = new HashMap<>();
    private Ticker ticker = Ticker.SYSTEM;

    Builder(Path dir) {
      this.dir = dir;
      settings.put("zones", dir.toString());
      settings.put("dns.listen", List.of("127.0.0.1:0"));
      settings.put("dns.event-loops", 2);
      settings.put("http.listen", "off");
      // beside the zones by default, which for a temporary directory is shared /tmp
      settings.put("state-file", dir.resolve("dnslb-state.json").toString());
      // Tests time health changes on a machine busy with other builds, where a nice-19 probe
      // thread gets little CPU (a cold TLS handshake took seconds); ProbePriorityTest covers it.
      settings.put("health.probe-priority", "normal");
    }

    /** Overrides one setting, as a path below "dnslb" in reference.conf. */
    public Builder set(String path, Object value) {
      settings.put(path, value);
      return this;
    }

    /** Writes a file into the zones directory (zone or pool file, by its name). */
    public Builder file(String name, String text) {
      try {
        Files.writeString(dir.resolve(name), text);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    /** The server's time source: a manual ticker lets a test move time instead of sleeping. */
    public Builder ticker(Ticker t) {
      this.ticker = t;
      return this;
    }

    public TestServer start() throws Exception {
      return new TestServer(dir, Settings.load(null, settings), ticker);
    }
  }
}
