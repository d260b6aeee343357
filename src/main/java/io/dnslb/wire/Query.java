package io.dnslb.wire;

import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;

/**
 * A decoded, well-formed standard query.
 *
 * @param message the parsed query (header flags are read from it)
 * @param question its question, name case exactly as sent
 * @param opt the query's OPT record, or null without EDNS
 * @param ecs the query's EDNS Client Subnet option, or null
 * @param client who asked, for sticky pools: ECS when present, else the source address
 * @param tcp whether it came over TCP (no size limit beyond 65535)
 */
public record Query(
    Message message,
    Record question,
    OPTRecord opt,
    ClientSubnetOption ecs,
    ClientSubnet client,
    boolean tcp) {

  public int id() {
    return message.getHeader().getID();
  }

  public Name qname() {
    return question.getName();
  }

  public int qtype() {
    return question.getType();
  }

  public int qclass() {
    return question.getDClass();
  }
}
