package io.dnslb.observe.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The commands' one client: the ADDR:PORT rule of listen addresses, names allowed. */
class ApiClientTest {
  @Test
  void targetsAreSpelledAsListenAddressesAndMayBeNames() {
    assertEquals(URI.create("http://127.0.0.1:8053/status"),
        ApiClient.uri("127.0.0.1:8053", "/status"));
    assertEquals(URI.create("http://[::1]:8053/v1/pools"), ApiClient.uri("[::1]:8053", "/v1/pools"));
    assertEquals(URI.create("http://localhost:8053/status"),
        ApiClient.uri("localhost:8053", "/status"));
    for (String bad : new String[] {"nohost", "::1:8053", "h:99999", "h:0", "h:x", ":80"}) {
      assertThrows(IllegalArgumentException.class, () -> ApiClient.uri(bad, "/"), bad);
    }
  }

  @Test
  void aClosedPortIsUnreachableWithTheReason() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    URI uri = ApiClient.uri("127.0.0.1:" + port, "/status");
    ApiClient.Unreachable e = assertThrows(ApiClient.Unreachable.class, () -> ApiClient.get(uri));
    assertTrue(e.getMessage().startsWith("cannot reach " + uri + ": connection refused"),
        e.getMessage());
  }
}
