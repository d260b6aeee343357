package io.dnslb.wire;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIGRecord;

/**
 * The answer to a TSIG-signed query. dnslb holds no TSIG keys, so every key is unknown: RFC 8945
 * §5.2.2 asks for NOTAUTH with TSIG error BADKEY, unsigned (an empty MAC), as Knot answers.
 * Answering such a query as if it were unsigned would tell the client its signature was checked.
 */
final class TsigRefusal {
  private TsigRefusal() {}

  static byte[] badKey(Message query, TSIGRecord tsig) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setOpcode(query.getHeader().getOpcode());
    response.getHeader().setRcode(Rcode.NOTAUTH);
    Record question = query.getQuestion();
    if (question != null) {
      response.addRecord(question, Section.QUESTION);
    }
    response.addRecord(new TSIGRecord(tsig.getName(), tsig.getDClass(), 0, tsig.getAlgorithm(),
        tsig.getTimeSigned(), tsig.getFudge(), new byte[0], tsig.getOriginalID(), Rcode.BADKEY,
        null), Section.ADDITIONAL);
    return response.toWire();
  }
}
