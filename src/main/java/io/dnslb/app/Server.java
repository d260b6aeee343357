package io.dnslb.app;

import io.dnslb.answer.Catalog;
import io.dnslb.answer.ChaosAnswers;
import io.dnslb.answer.Responder;
import io.dnslb.config.ConfigError;
import io.dnslb.config.Settings;
import io.dnslb.transport.DnsServer;
import io.dnslb.transport.EventLoops;
import io.dnslb.wire.QueryObserver;
import io.dnslb.wire.QueryProcessor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running dnslb: loads the catalog, binds the listeners, and stops them again. */
public final class Server implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Server.class);

  private final Settings settings;
  private volatile Catalog catalog;
  private EventLoops loops;
  private DnsServer dns;

  public Server(Settings settings) {
    this.settings = settings;
  }

  /** Loads and binds; throws before binding anything if the files are bad. */
  public void start() throws ConfigError, InterruptedException {
    catalog = CatalogLoader.load(settings.zones());
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
    } catch (RuntimeException | InterruptedException e) {
      close();
      throw e;
    }
    log.info("dnslb serving DNS on {} (udp+tcp, {} event loops, {}): {} zones, {} records",
        dns.describe(), loops.size(), loops.epoll() ? "epoll" : "nio",
        catalog.zones().zones().size(), catalog.zones().recordCount());
  }

  /** Addresses the DNS listeners are bound to (port 0 resolved). */
  public List<InetSocketAddress> dnsAddresses() {
    return dns == null ? List.of() : new ArrayList<>(dns.addresses());
  }

  public Catalog catalog() {
    return catalog;
  }

  @Override
  public void close() {
    if (dns != null) {
      dns.close();
    }
    if (loops != null) {
      loops.close();
    }
  }
}
