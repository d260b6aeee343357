package io.dnslb.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * Staged decoding, cheapest test first: too short or a response → drop; not a QUERY → NOTIMP;
 * not exactly one question → FORMERR; then dnsjava parses the rest, and anything it rejects, or
 * an OPT record in the wrong place, is FORMERR; a TSIG-signed query is NOTAUTH/BADKEY (we hold
 * no keys, see {@link TsigRefusal}). A header is always readable by then, so every
 * error reply carries the client's ID.
 */
public final class QueryDecoder {
  private QueryDecoder() {}

  /** Either a query to answer or bytes to send back at once (null bytes: send nothing). */
  public record Result(Query query, byte[] immediate) {
    static Result drop() {
      return new Result(null, null);
    }

    static Result reply(byte[] bytes) {
      return new Result(null, bytes);
    }
  }

  public static Result decode(byte[] packet, InetAddress source, boolean tcp) {
    if (packet.length < Wire.HEADER) {
      return Result.drop();
    }
    int flags = Wire.u16(packet, 2);
    if ((flags & Wire.FLAG_QR) != 0) {
      return Result.drop(); // never answer a response: that is how reflection loops start
    }
    if (((flags >>> 11) & 0xF) != Opcode.QUERY) {
      return Result.reply(Wire.headerOnly(packet, Rcode.NOTIMP));
    }
    if (Wire.u16(packet, 4) != 1) {
      return Result.reply(Wire.headerOnly(packet, Rcode.FORMERR));
    }
    Message message;
    try {
      message = new Message(packet);
    } catch (Exception e) { // dnsjava throws IOException and, on some inputs, runtime exceptions
      return Result.reply(Wire.headerOnly(packet, Rcode.FORMERR));
    }
    Record question = message.getQuestion();
    // With TC set in the query dnsjava stops quietly at the end of the packet instead of
    // throwing, so a truncated question parses as none at all (found by the fuzzer).
    if (question == null || !optPlacementValid(message)) {
      return Result.reply(Wire.headerOnly(packet, Rcode.FORMERR));
    }
    TSIGRecord tsig = tsigOf(message);
    if (tsig != null) {
      return Result.reply(TsigRefusal.badKey(message, tsig));
    }
    OPTRecord opt = message.getOPT();
    ClientSubnetOption ecs = opt == null ? null : ecsOf(opt);
    return new Result(new Query(message, question, opt, ecs, client(ecs, source), tcp), null);
  }

  /**
   * The TSIG record, last in the additional section (RFC 8945 §5.1), or null. Not dnsjava's
   * getTSIG(): when a TC-flagged query ends before its additional section, dnsjava leaves that
   * section null and getTSIG() throws (found by the fuzzer); getSection() returns it empty.
   */
  private static TSIGRecord tsigOf(Message m) {
    List<Record> additional = m.getSection(Section.ADDITIONAL);
    return !additional.isEmpty() && additional.get(additional.size() - 1) instanceof TSIGRecord t
        ? t : null;
  }

  /** RFC 6891 §6.1.1: at most one OPT, in the additional section, owned by the root. */
  private static boolean optPlacementValid(Message m) {
    if (m.getHeader().getCount(Section.ANSWER) + m.getHeader().getCount(Section.AUTHORITY) > 0) {
      for (int s = Section.ANSWER; s <= Section.AUTHORITY; s++) {
        for (Record r : m.getSection(s)) {
          if (r.getType() == Type.OPT) {
            return false;
          }
        }
      }
    }
    int opts = 0;
    for (Record r : m.getSection(Section.ADDITIONAL)) {
      if (r.getType() == Type.OPT) {
        if (++opts > 1 || !r.getName().equals(Name.root)) {
          return false;
        }
      }
    }
    return true;
  }

  private static ClientSubnetOption ecsOf(OPTRecord opt) {
    List<EDNSOption> options = opt.getOptions(EDNSOption.Code.CLIENT_SUBNET);
    return options.isEmpty() ? null : (ClientSubnetOption) options.get(0);
  }

  private static ClientSubnet client(ClientSubnetOption ecs, InetAddress source) {
    if (ecs != null) {
      return new ClientSubnet(ecs.getFamily(), ecs.getAddress().getAddress(),
          ecs.getSourcePrefixLength(), true);
    }
    if (source == null) {
      return new ClientSubnet(1, new byte[4], 0, false);
    }
    byte[] bytes = source.getAddress();
    boolean v4 = source instanceof Inet4Address;
    return new ClientSubnet(v4 ? 1 : 2, bytes, v4 ? 32 : 128, false);
  }
}
