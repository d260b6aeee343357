package io.dnslb.answer;

import io.dnslb.wire.Query;
import java.util.HashMap;
import java.util.Map;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * CHAOS-class TXT identification queries ({@code version.bind}, {@code hostname.bind},
 * {@code id.server}), as BIND, NSD and Knot answer them. Each is REFUSED unless configured.
 */
public final class ChaosAnswers {
  private final Map<Name, String> strings = new HashMap<>();

  public ChaosAnswers(String version, String hostname, String id) {
    put("version.bind.", version);
    put("version.server.", version);
    put("hostname.bind.", hostname);
    put("id.server.", id);
  }

  public static ChaosAnswers none() {
    return new ChaosAnswers("", "", "");
  }

  private void put(String name, String value) {
    if (value != null && !value.isEmpty()) {
      strings.put(Name.fromConstantString(name), value);
    }
  }

  void answer(Message resp, Query q) {
    String value = strings.get(q.qname());
    if (value == null || (q.qtype() != Type.TXT && q.qtype() != Type.ANY)) {
      resp.getHeader().setRcode(Rcode.REFUSED);
      return;
    }
    resp.getHeader().setFlag(Flags.AA);
    resp.addRecord(new TXTRecord(q.qname(), DClass.CH, 0, value), Section.ANSWER);
  }
}
