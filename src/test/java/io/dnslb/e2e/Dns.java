package io.dnslb.e2e;

import io.dnslb.testing.DnsClient;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Small DNS helpers for the end-to-end tests. */
final class Dns {
  private Dns() {}

  /** The A addresses of one UDP answer; fails on anything but NOERROR. */
  static Set<String> a(DnsClient client, String name) throws IOException {
    return a(client, name, false);
  }

  /** As above; with servfailIsEmpty a SERVFAIL (every member down) counts as no address. */
  static Set<String> a(DnsClient client, String name, boolean servfailIsEmpty) throws IOException {
    Message m = client.udp(name, Type.A);
    if (servfailIsEmpty && m.getRcode() == Rcode.SERVFAIL) {
      return new TreeSet<>();
    }
    if (m.getRcode() != Rcode.NOERROR) {
      throw new AssertionError(name + " answered " + Rcode.string(m.getRcode()));
    }
    Set<String> out = new TreeSet<>();
    for (Record r : m.getSection(Section.ANSWER)) {
      if (r instanceof ARecord a) {
        out.add(a.getAddress().getHostAddress());
      }
    }
    return out;
  }
}
