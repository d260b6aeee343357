package io.dnslb.testing;

import java.util.List;
import java.util.stream.Collectors;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/** Compact, comparable renderings of message sections for assertions. */
public final class Answers {
  private Answers() {}

  /** Each record as "name TTL TYPE rdata", in message order. */
  public static List<String> section(Message m, int section) {
    return m.getSection(section).stream().map(Answers::line).collect(Collectors.toList());
  }

  public static String line(Record r) {
    return r.getName() + " " + r.getTTL() + " " + org.xbill.DNS.Type.string(r.getType()) + " "
        + r.rdataToString();
  }
}
