package io.dnslb.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

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

  /** The A and AAAA addresses of the answer section, in order. */
  public static List<String> addresses(Message m) {
    List<String> out = new ArrayList<>();
    for (Record r : m.getSection(Section.ANSWER)) {
      if (r instanceof ARecord a) {
        out.add(a.getAddress().getHostAddress());
      } else if (r instanceof AAAARecord a) {
        out.add(a.getAddress().getHostAddress());
      }
    }
    return out;
  }

  /** The first address of the answer, or an AssertionError when there is none. */
  public static String first(Message m) {
    List<String> a = addresses(m);
    if (a.isEmpty()) {
      throw new AssertionError("empty answer: " + m);
    }
    return a.get(0);
  }
}
