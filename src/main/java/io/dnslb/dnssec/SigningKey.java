package io.dnslb.dnssec;

import java.security.PrivateKey;
import java.time.Instant;
import org.xbill.DNS.DNSKEYRecord;

/**
 * One key pair of a zone with BIND's timing metadata (null = no such event): published keys
 * appear in the DNSKEY RRset, active ones also sign. That is how a rollover is staged: a new key
 * is published (Publish now, Activate later), the old one made inactive, then deleted.
 *
 * @param file the .private file, for messages
 */
public record SigningKey(DNSKEYRecord dnskey, PrivateKey key, String file, Instant publish,
    Instant activate, Instant inactive, Instant delete) {

  /** A key-signing or combined key: the SEP flag (257), signs the DNSKEY RRset, has a DS. */
  public boolean sep() {
    return (dnskey.getFlags() & org.xbill.DNS.DNSKEYRecord.Flags.SEP_KEY) != 0;
  }

  public int tag() {
    return dnskey.getFootprint();
  }

  public boolean published(Instant now) {
    return (publish == null || !publish.isAfter(now)) && (delete == null || delete.isAfter(now));
  }

  public boolean active(Instant now) {
    return published(now) && (activate == null || !activate.isAfter(now))
        && (inactive == null || inactive.isAfter(now));
  }
}
