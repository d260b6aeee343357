package io.dnslb.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The address a transport hands over raw comes back as the same InetAddress the JDK would make. */
class ClientAddressTest {
  @Test
  void ipv4FromNetworkOrderInt() throws Exception {
    ClientAddress a = new ClientAddress();
    a.setIpv4(0xC0000281); // 192.0.2.129: the high bit of the last byte must not leak
    assertEquals(InetAddress.getByName("192.0.2.129"), a.inet());
    assertSame(a.inet(), a.inet(), "made once per query");
    a.setIpv4(0xFE000001); // 254.0.0.1: a negative int
    assertEquals(InetAddress.getByName("254.0.0.1"), a.inet());
  }

  @Test
  void ipv6FromItsBytes() throws Exception {
    ClientAddress a = new ClientAddress();
    byte[] expected = InetAddress.getByName("2001:db8::ff").getAddress();
    System.arraycopy(expected, 0, a.ipv6Bytes(), 0, 16);
    a.setIpv6();
    assertEquals(InetAddress.getByName("2001:db8::ff"), a.inet());
  }

  @Test
  void givenAddressKeptAndUnknownIsNull() throws Exception {
    ClientAddress a = new ClientAddress();
    InetAddress given = InetAddress.getByName("127.0.0.7");
    assertSame(given, a.set(given).inet());
    assertEquals(0x7F000007, a.ipv4());
    assertNull(a.set(null).inet());
  }
}
