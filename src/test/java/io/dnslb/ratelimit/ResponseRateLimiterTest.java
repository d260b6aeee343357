package io.dnslb.ratelimit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.config.RrlConfig;
import io.dnslb.time.ManualTicker;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ResponseRateLimiterTest {
  private static final long SECOND = 1_000_000_000L;
  private final ManualTicker clock = new ManualTicker();

  private ResponseRateLimiter limiter(int rate, int slip) {
    return new ResponseRateLimiter(
        new RrlConfig(true, rate, Duration.ofSeconds(15), slip, 24, 56, 1000), clock);
  }

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  private static byte[] answer(String qname, int rcode) throws Exception {
    Name n = Name.fromString(qname);
    Message m = new Message(7);
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.AA);
    m.getHeader().setRcode(rcode);
    m.addRecord(Record.newRecord(n, Type.A, DClass.IN), Section.QUESTION);
    if (rcode == Rcode.NOERROR) {
      m.addRecord(new ARecord(n, DClass.IN, 60, ip("192.0.2.1")), Section.ANSWER);
    }
    return m.toWire();
  }

  /** Sends n responses at the current instant; returns how many went out whole. */
  private static int burst(RateLimiter l, InetAddress client, byte[] response, int n) {
    int sent = 0;
    for (int i = 0; i < n; i++) {
      if (l.filter(client, response) == response) {
        sent++;
      }
    }
    return sent;
  }

  @Test
  void aBurstOfOneSecondsWorthPassesThenTheRestIsLimited() throws Exception {
    ResponseRateLimiter l = limiter(10, 2);
    byte[] r = answer("www.example.test.", Rcode.NOERROR);
    assertEquals(10, burst(l, ip("192.0.2.7"), r, 30));
    assertEquals(10, l.slipped());
    assertEquals(10, l.dropped());
  }

  @Test
  void slipTwoAlternatesDropAndTruncate() throws Exception {
    ResponseRateLimiter l = limiter(1, 2);
    byte[] r = answer("www.example.test.", Rcode.NOERROR);
    InetAddress c = ip("192.0.2.7");
    assertSame(r, l.filter(c, r));
    assertNull(l.filter(c, r));
    byte[] slipped = l.filter(c, r);
    Message m = new Message(slipped);
    assertTrue(m.getHeader().getFlag(Flags.TC));
    assertEquals(0, m.getSection(Section.ANSWER).size());
    assertEquals(Name.fromString("www.example.test."), m.getQuestion().getName());
    assertEquals(7, m.getHeader().getID());
    assertTrue(slipped.length < r.length);
    assertNull(l.filter(c, r));
  }

  @Test
  void slipZeroDropsAllAndSlipOneTruncatesAll() throws Exception {
    byte[] r = answer("www.example.test.", Rcode.NOERROR);
    ResponseRateLimiter drop = limiter(1, 0);
    ResponseRateLimiter truncate = limiter(1, 1);
    burst(drop, ip("192.0.2.7"), r, 11);
    burst(truncate, ip("192.0.2.7"), r, 11);
    assertEquals(10, drop.dropped());
    assertEquals(0, drop.slipped());
    assertEquals(0, truncate.dropped());
    assertEquals(10, truncate.slipped());
  }

  @Test
  void clientsShareABucketPerPrefixOnly() throws Exception {
    ResponseRateLimiter l = limiter(5, 2);
    byte[] r = answer("www.example.test.", Rcode.NOERROR);
    assertEquals(5, burst(l, ip("192.0.2.7"), r, 20));
    assertEquals(0, burst(l, ip("192.0.2.200"), r, 5), "same /24");
    assertEquals(5, burst(l, ip("192.0.3.7"), r, 5), "next /24");
    assertEquals(5, burst(l, ip("2001:db8:0:1::1"), r, 20));
    assertEquals(0, burst(l, ip("2001:db8:0:ff::1"), r, 5), "same /56");
    assertEquals(5, burst(l, ip("2001:db8:0:100::1"), r, 5), "next /56");
  }

  @Test
  void responseKindsHaveTheirOwnBuckets() throws Exception {
    ResponseRateLimiter l = limiter(5, 2);
    InetAddress c = ip("192.0.2.7");
    assertEquals(5, burst(l, c, answer("nope.example.test.", Rcode.NXDOMAIN), 50));
    assertEquals(5, burst(l, c, answer("www.example.test.", Rcode.NOERROR), 5));
    assertEquals(5, burst(l, c, answer("x.example.org.", Rcode.REFUSED), 5));
  }

  @Test
  void creditRefillsAtTheRateButAFloodRunsIntoDebt() throws Exception {
    ResponseRateLimiter l = limiter(10, 0);
    byte[] r = answer("www.example.test.", Rcode.NOERROR);
    InetAddress c = ip("192.0.2.7");
    assertEquals(10, burst(l, c, r, 10));
    clock.advance(java.time.Duration.ofNanos(SECOND / 2));
    assertEquals(5, burst(l, c, r, 10), "half a second: half the rate");
    assertEquals(0, burst(l, c, r, 1000), "a flood builds up debt");
    clock.advance(java.time.Duration.ofNanos(10 * SECOND));
    assertEquals(0, burst(l, c, r, 1), "still paying it off after 10 s");
    clock.advance(java.time.Duration.ofNanos(7 * SECOND));
    assertEquals(10, burst(l, c, r, 20), "debt is capped at the window");
  }

  @Test
  void disabledLetsEverythingThrough() throws Exception {
    RateLimiter none = RateLimiter.of(new RrlConfig(false, 1, Duration.ofSeconds(15), 2, 24, 56, 10));
    byte[] r = answer("www.example.test.", Rcode.NOERROR);
    assertEquals(100, burst(none, ip("192.0.2.7"), r, 100));
  }

  @Test
  void aSlipOfAHeaderOnlyReplyIsAHeader() throws Exception {
    byte[] formerr = {0, 9, (byte) 0x80, 1, 0, 0, 0, 0, 0, 0, 0, 0};
    byte[] t = Truncated.of(formerr);
    assertArrayEquals(new byte[] {0, 9, (byte) 0x82, 1, 0, 0, 0, 0, 0, 0, 0, 0}, t);
  }
}
