package io.dnslb.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A toy web backend for the demo: answers 200 (or 503 when told to fail) until stopped. */
final class DemoBackend {
  private final InetSocketAddress address;
  private HttpServer server;
  private volatile boolean failing;

  DemoBackend(InetSocketAddress address) {
    this.address = address;
  }

  synchronized void start() throws IOException {
    if (server != null) {
      return;
    }
    failing = false;
    server = HttpServer.create(address, 16);
    server.createContext("/", exchange -> {
      byte[] body = ("backend " + address.getAddress().getHostAddress() + (failing ? " failing"
          : " ok") + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(failing ? 503 : 200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  void fail(boolean fail) {
    failing = fail;
  }

  String describe() {
    return address.getAddress().getHostAddress() + ":" + address.getPort() + " "
        + (server == null ? "stopped" : failing ? "running, answering 503" : "running");
  }
}
