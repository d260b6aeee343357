package io.dnslb.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/** A JDK HTTP backend on one loopback address and port that a test can stop and restart. */
final class HttpBackend implements AutoCloseable {
  final String address;
  final int port;
  final AtomicInteger status = new AtomicInteger(200);
  private HttpServer server;

  private HttpBackend(String address, int port) {
    this.address = address;
    this.port = port;
  }

  /** Starts on address:port (0 = a free port). */
  static HttpBackend start(String address, int port) {
    HttpBackend b = new HttpBackend(address, port);
    b.server = b.bind(port);
    return b;
  }

  private HttpServer bind(int p) {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress(address, p), 16);
      s.createContext("/", ex -> {
        byte[] body = "ok".getBytes();
        ex.sendResponseHeaders(status.get(), body.length);
        ex.getResponseBody().write(body);
        ex.close();
      });
      s.start();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A port free on this loopback address now, for backends that bind it later (one port for
   * all members, as a pool's check has one port).
   */
  static int freePort(String address) throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      return probe.getLocalPort();
    }
  }

  int boundPort() {
    return server.getAddress().getPort();
  }

  synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  synchronized void restart() {
    if (server == null) {
      server = bind(port);
    }
  }

  @Override
  public void close() {
    stop();
  }
}
