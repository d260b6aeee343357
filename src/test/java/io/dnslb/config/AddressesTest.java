package io.dnslb.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressesTest {
  @ParameterizedTest
  @CsvSource({
      "2001:db8:0:0:0:0:0:10, 2001:db8::10",
      "0:0:0:0:0:0:0:1, ::1",
      "0:0:0:0:0:0:0:0, ::",
      "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
      "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
      "fe80:0:0:0:0:0:0:0, fe80::",
      "192.0.2.1, 192.0.2.1"})
  void formatsPerRfc5952(String in, String out) throws Exception {
    assertEquals(out, Addresses.format(InetAddress.getByName(in)));
  }
}
