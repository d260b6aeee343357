package io.dnslb.observe.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.observe.Metrics;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ObserveHttpServerTest {
  static EventLoopGroup group;
  static ObserveHttpServer server;
  static InetSocketAddress address;
  static final AtomicBoolean serving = new AtomicBoolean(true);
  static final Metrics metrics = new Metrics();
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    server = new ObserveHttpServer(group, NioServerSocketChannel.class, () -> StatusJsonTest.POOLS, metrics, serving::get);
    address = server.start(new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterAll
  static void stop() {
    server.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  static HttpResponse<String> send(HttpRequest.Builder req) throws Exception {
    return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest.Builder at(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path));
  }

  @Test
  void statusIsTheJsonOfTheSource() throws Exception {
    var resp = send(at("/status"));
    assertEquals(200, resp.statusCode());
    assertEquals("application/json", resp.headers().firstValue("content-type").orElse(""));
    assertEquals(StatusJson.encode(StatusJsonTest.POOLS), resp.body());
  }

  @Test
  void metricsInPrometheusFormat() throws Exception {
    metrics.query(Metrics.Transport.TCP, 16, 0, 1000);
    var resp = send(at("/metrics?x=1"));
    assertEquals(200, resp.statusCode());
    assertTrue(resp.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
    assertTrue(resp.body().contains("dnslb_queries_total{transport=\"tcp\",qtype=\"TXT\",rcode=\"NOERROR\"} 1\n"), resp.body());
  }

  @Test
  void healthzFollowsTheServingFlag() throws Exception {
    assertEquals(200, send(at("/healthz")).statusCode());
    serving.set(false);
    try {
      assertEquals(503, send(at("/healthz")).statusCode());
    } finally {
      serving.set(true);
    }
  }

  @Test
  void unknownPathsAndMethodsAndOversizedRequestsAreRefused() throws Exception {
    assertEquals(404, send(at("/nope")).statusCode());
    var post = send(at("/status").POST(HttpRequest.BodyPublishers.ofString("x")));
    assertEquals(405, post.statusCode());
    assertEquals("GET", post.headers().firstValue("allow").orElse(""));
    assertEquals(413, send(at("/status").POST(HttpRequest.BodyPublishers.ofString("x".repeat(10_000)))).statusCode());
    assertEquals(400, rawStatus("GET /status?" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
  }

  /** Whether the server still holds the connection: a closed one reads EOF or reset at once. */
  static boolean open(Socket s) throws Exception {
    s.setSoTimeout(200);
    try {
      return s.getInputStream().read() != -1;
    } catch (java.net.SocketTimeoutException stillOpen) {
      return true;
    } catch (java.io.IOException reset) {
      return false;
    }
  }

  /** 20,000 slow connections once took every file descriptor; one address now holds 16. */
  @Test
  void oneAddressHoardingConnectionsIsCappedAndOthersAreServed() throws Exception {
    java.util.List<Socket> held = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        Socket s = new Socket();
        s.bind(new InetSocketAddress("127.0.0.3", 0));
        s.connect(address, 2000);
        held.add(s);
      }
      Thread.sleep(300);
      int open = 0;
      for (Socket s : held) {
        open += open(s) ? 1 : 0;
      }
      assertEquals(ObserveHttpServer.MAX_CONNECTIONS_PER_CLIENT, open);
      assertEquals(200, send(at("/healthz")).statusCode());
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  /** A header byte every 400 ms resets any idle timeout, never the request deadline. */
  @Test
  void aRequestTricklingInIsCutAtTheDeadline() throws Exception {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress("127.0.0.4", 0));
      s.connect(address, 2000);
      OutputStream out = s.getOutputStream();
      out.write("GET /healthz HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
      long t0 = System.nanoTime();
      boolean cut = false;
      for (int i = 0; i < 40 && !cut; i++) {
        try {
          out.write('X');
          out.flush();
        } catch (java.io.IOException closed) {
          cut = true;
        }
        cut = cut || !open(s);
        Thread.sleep(200);
      }
      long millis = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(cut, "still open after " + millis + " ms");
      assertTrue(millis >= ObserveHttpServer.REQUEST_DEADLINE_MILLIS - 500, "cut after " + millis);
    }
  }

  @Test
  void aBindErrorNamesTheAddress() {
    ObserveHttpServer second = new ObserveHttpServer(group, NioServerSocketChannel.class,
        () -> StatusJsonTest.POOLS, metrics, serving::get);
    java.net.BindException e = org.junit.jupiter.api.Assertions.assertThrows(
        java.net.BindException.class, () -> second.start(address));
    assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + address.getPort()
        + "/http: "), e.getMessage());
  }

  /** Sends bytes as written and returns the status code of the answer. */
  static int rawStatus(String request) throws Exception {
    try (Socket s = new Socket(address.getAddress(), address.getPort())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(head.substring(9, 12));
    }
  }
}
