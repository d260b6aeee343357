package io.dnslb.app;

import io.dnslb.answer.Catalog;
import io.dnslb.answer.ChaosAnswers;
import io.dnslb.answer.Responder;
import io.dnslb.config.ConfigError;
import io.dnslb.config.Settings;
import io.dnslb.pool.HealthCarryOver;
import io.dnslb.pool.Pool;
import io.dnslb.pool.PoolRuntime;
import io.dnslb.transport.DnsServer;
import io.dnslb.transport.EventLoops;
import io.dnslb.wire.QueryObserver;
import io.dnslb.wire.QueryProcessor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running dnslb: loads the catalog, binds the listeners, reloads on change, stops. The catalog
 * is one volatile reference: a reload builds a whole new one off the query path and swaps it in
 * with one write, so a query sees the old data or the new, never a mix.
 */
public final class Server implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Server.class);

  private final Settings settings;
  private volatile Catalog catalog;
  private volatile ReloadStatus lastReload;
  private EventLoops loops;
  private DnsServer dns;
  private DirectoryWatcher watcher;

  public Server(Settings settings) {
    this.settings = settings;
  }

  /** Loads and binds; throws before binding anything if the files are bad. */
  public void start() throws ConfigError, InterruptedException, IOException {
    catalog = CatalogLoader.load(settings.zones());
    lastReload = new ReloadStatus(Instant.now(), true, null);
    Responder responder = new Responder(settings.udpPayload(), settings.maxCnameChain(),
        new ChaosAnswers(settings.chaosVersion(), settings.chaosHostname(), settings.chaosId()));
    QueryProcessor processor = new QueryProcessor(responder, () -> catalog, QueryObserver.NONE);
    loops = new EventLoops(settings.eventLoops(), "dnslb-dns");
    dns = new DnsServer(loops, processor, settings.tcpIdleTimeout(),
        settings.tcpMaxConnections());
    try {
      for (InetSocketAddress a : settings.dnsListen()) {
        dns.bind(a);
      }
      if (settings.reloadWatch()) {
        watcher = new DirectoryWatcher(settings.zones(), settings.reloadDebounce().toMillis(),
            this::reload);
      }
    } catch (RuntimeException | InterruptedException | IOException e) {
      close();
      throw e;
    }
    log.info("dnslb serving DNS on {} (udp+tcp, {} event loops, {}): {}", dns.describe(),
        loops.size(), loops.epoll() ? "epoll" : "nio", describe(catalog));
  }

  private static String describe(Catalog c) {
    int members = 0;
    for (Pool p : c.pools().all()) {
      members += ((PoolRuntime) p).config().members().size();
    }
    return c.zones().zones().size() + " zones, " + c.zones().recordCount() + " records, "
        + c.pools().all().size() + " pools, " + members + " members";
  }

  /**
   * Reads the zones directory again and swaps the result in, or keeps serving the old data and
   * reports why. Members that survive keep their health. Serialised: one reload at a time.
   */
  public synchronized ReloadStatus reload() {
    long t0 = System.nanoTime();
    Catalog next;
    try {
      next = CatalogLoader.load(settings.zones());
    } catch (ConfigError e) {
      lastReload = new ReloadStatus(Instant.now(), false, e.getMessage());
      log.error("reload failed, still serving the previous data: {}", e.getMessage());
      return lastReload;
    }
    HealthCarryOver.carry(catalog.pools(), next.pools());
    catalog = next;
    lastReload = new ReloadStatus(Instant.now(), true, null);
    log.info("reloaded in {} ms: {}", (System.nanoTime() - t0) / 1_000_000, describe(next));
    return lastReload;
  }

  /** Asks for a reload on the reload thread, after the debounce delay (SIGHUP). */
  public void requestReload() {
    if (watcher != null) {
      watcher.schedule();
    } else {
      Thread t = new Thread(this::reload, "dnslb-reload");
      t.setDaemon(true);
      t.start();
    }
  }

  public ReloadStatus lastReload() {
    return lastReload;
  }

  /** Addresses the DNS listeners are bound to (port 0 resolved). */
  public List<InetSocketAddress> dnsAddresses() {
    return dns == null ? List.of() : new ArrayList<>(dns.addresses());
  }

  public Catalog catalog() {
    return catalog;
  }

  /**
   * Stops accepting, lets the event loops finish what is in flight (they drain their queues
   * before shutting down), then stops.
   */
  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
    if (dns != null) {
      dns.close();
    }
    if (loops != null) {
      loops.close();
    }
  }
}
