package io.dnslb.pool.e2e;

import static io.dnslb.testing.Answers.addresses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.testing.PoolServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A pool at the answers limit (16) must not make a plain 512-byte UDP answer truncate to
 * nothing (design.md, "dnsjava, read before use").
 */
class TruncationE2ETest {
  /** 27 octets on the wire: 12 + 27 + 4 + 16 × 28 = 491 bytes, fits. */
  static final String SHORT = "svc-frontend-eu.pool.test.";
  /** 53 octets, a realistic service name: 12 + 53 + 4 + 16 × 28 = 517 bytes, does not. */
  static final String LONG = "service-frontend-europe-west-1.production.pool.test.";

  static String members() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      sb.append("      { address = \"2001:db8::").append(Integer.toHexString(0x10 + i))
          .append("\" }\n");
    }
    return sb.toString();
  }

  @RegisterExtension
  static final PoolServer lb = PoolServer.withPools("pools {\n"
      + "  short {\n    names = [\"" + SHORT + "\"]\n    policy = round-robin\n"
      + "    answers = 16\n    members = [\n" + members() + "    ]\n  }\n"
      + "  long {\n    names = [\"" + LONG + "\"]\n    policy = round-robin\n"
      + "    answers = 16\n    members = [\n" + members() + "    ]\n  }\n"
      + "}\n");

  @Test
  void sixteenAaaaFitA512ByteAnswerForAShortName() throws Exception {
    Message m = lb.udp(SHORT, Type.AAAA);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertFalse(m.getHeader().getFlag(Flags.TC));
    assertEquals(16, addresses(m).size());
  }

  // BUG (found by this test): the 16 AAAA records need 517 bytes with this name, so dnsjava's
  // Without a cap, toWire(512) would drop the whole answer RRset and set TC: an empty answer.
  // The responder caps the pooled records to what fits sizeLimit(q) after the header, question,
  // CNAMEs and OPT (16 bytes per A, 28 per AAAA with the owner compressed).
  @Test
  void aLongPoolNameStillGetsAddressesOverPlainUdp() throws Exception {
    Message m = lb.udp(LONG, Type.AAAA);
    assertEquals(Rcode.NOERROR, m.getRcode());
    // Fewer than 16 may fit; none at all means every client must retry over TCP.
    assertFalse(m.getSection(Section.ANSWER).isEmpty(),
        "TC=" + m.getHeader().getFlag(Flags.TC) + ", empty answer: " + m);
    assertTrue(addresses(m).size() >= 1);
  }
}
