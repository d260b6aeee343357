package io.dnslb.dnssec;

import io.dnslb.config.ConfigError;
import io.dnslb.zone.Zone;
import io.dnslb.zone.ZoneDirectory;
import io.dnslb.zone.ZoneSet;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.CDNSKEYRecord;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

/**
 * Reads every {@code *.dnssec.conf} of a zones directory with the keys it points to, and puts
 * the keys' DNSKEY, CDS and CDNSKEY RRsets at each signed zone's apex. Signing itself happens
 * after the pools joined the zones ({@link Signing#sign}).
 */
public final class DnssecDirectory {
  /** The zones with their apex key sets added, and what to sign each with. */
  public record Loaded(ZoneSet zones, Map<Name, Signing.Keyed> keyed) {}

  private DnssecDirectory() {}

  public static Loaded load(Path dir, ZoneSet zones, Instant now) throws ConfigError {
    List<Path> confs = ZoneDirectory.files(dir, DnssecSettings.SUFFIX);
    if (confs.isEmpty()) {
      return new Loaded(zones, Map.of());
    }
    Map<String, Zone> byBase = new HashMap<>();
    for (Zone z : zones.zones()) {
      String f = z.file().getFileName().toString();
      byBase.put(f.substring(0, f.length() - ZoneDirectory.SUFFIX.length()), z);
    }
    Map<Name, Signing.Keyed> keyed = new HashMap<>();
    Map<Name, Zone> replaced = new HashMap<>();
    for (Path conf : confs) {
      String f = conf.getFileName().toString();
      Zone z = byBase.get(f.substring(0, f.length() - DnssecSettings.SUFFIX.length()));
      if (z == null) {
        String zoneFile = f.replace(DnssecSettings.SUFFIX, ZoneDirectory.SUFFIX);
        if (java.nio.file.Files.exists(dir.resolve(zoneFile))) {
          continue; // the zone did not load: its own error says why
        }
        throw new ConfigError(conf.toString(), 1, "no zone file " + zoneFile
            + " for these settings");
      }
      DnssecSettings s = DnssecSettings.load(conf, dir);
      List<SigningKey> keys = KeyFiles.load(s.keys(), z.origin(), conf.toString(), s.keysLine());
      if (keys.stream().noneMatch(k -> k.active(now))) {
        throw new ConfigError(conf.toString(), s.keysLine(), "no active key for " + z.origin()
            + " in " + s.keys() + " (every key's Activate lies ahead or its Inactive has passed)");
      }
      keyed.put(z.origin(), new Signing.Keyed(s, keys));
      replaced.put(z.origin(), z.withApexSets(apexSets(z.origin(), s, keys, now)));
    }
    List<Zone> out = new ArrayList<>();
    for (Zone z : zones.zones()) {
      out.add(replaced.getOrDefault(z.origin(), z));
    }
    return new Loaded(new ZoneSet(out), keyed);
  }

  /** DNSKEY of every published key; CDS (SHA-256) and CDNSKEY of the active SEP keys. */
  static List<RRset> apexSets(Name origin, DnssecSettings s, List<SigningKey> keys, Instant now) {
    long ttl = s.dnskeyTtl().toSeconds();
    RRset dnskey = new RRset();
    RRset cds = new RRset();
    RRset cdnskey = new RRset();
    for (SigningKey k : keys) {
      if (!k.published(now)) {
        continue;
      }
      DNSKEYRecord d = k.dnskey();
      dnskey.addRR(new DNSKEYRecord(origin, DClass.IN, ttl, d.getFlags(), d.getProtocol(),
          d.getAlgorithm(), d.getKey()));
      if (k.sep() && k.active(now)) {
        DSRecord ds = ds(origin, k, ttl);
        cds.addRR(new CDSRecord(origin, DClass.IN, ttl, ds.getFootprint(), ds.getAlgorithm(),
            ds.getDigestID(), ds.getDigest()));
        cdnskey.addRR(new CDNSKEYRecord(origin, DClass.IN, ttl, d.getFlags(), d.getProtocol(),
            d.getAlgorithm(), d.getKey()));
      }
    }
    List<RRset> out = new ArrayList<>();
    out.add(dnskey);
    if (cds.size() > 0) {
      out.add(cds);
      out.add(cdnskey);
    }
    return out;
  }

  /** The DS (SHA-256) of a key, as the parent publishes it. */
  public static DSRecord ds(Name origin, SigningKey k, long ttl) {
    return new DSRecord(origin, DClass.IN, ttl, DNSSEC.Digest.SHA256, k.dnskey());
  }
}
