package io.dnslb.answer;

import java.util.HashMap;
import java.util.Map;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
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

  /** The TXT record answering this CHAOS question, or null when it is to be REFUSED. */
  Record answer(Name qname, int qtype) {
    String value = strings.get(qname);
    if (value == null || (qtype != Type.TXT && qtype != Type.ANY)) {
      return null;
    }
    return new TXTRecord(qname, DClass.CH, 0, value);
  }
}
