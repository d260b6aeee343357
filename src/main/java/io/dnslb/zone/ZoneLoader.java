package io.dnslb.zone;

import io.dnslb.config.ConfigError;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Parses one RFC 1035 master file into an immutable {@link Zone}, or fails with
 * {@code FILE:LINE: message}. Parsing is {@link MasterFileReader} (plain lines by
 * {@link PlainLine}, everything else by dnsjava's Master); the checks that make a file a servable
 * zone (one SOA at the apex, nothing outside the origin, CNAME alone) are ours.
 */
public final class ZoneLoader {
  private static final Pattern ORIGIN_DIRECTIVE =
      Pattern.compile("^\\$ORIGIN\\s+(\\S+)", Pattern.CASE_INSENSITIVE);

  /** RDLENGTH is 16 bits (RFC 1035 §3.2.1). */
  private static final int MAX_RDATA = 65535;

  private ZoneLoader() {}

  /** The origin a zone file declares: its first $ORIGIN, else its file name minus ".zone". */
  static Name originOf(Path file) throws ConfigError {
    String display = file.toString();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        Matcher m = ORIGIN_DIRECTIVE.matcher(line);
        if (m.find()) {
          try {
            return Name.fromString(m.group(1), Name.root);
          } catch (TextParseException e) {
            throw new ConfigError(display, n, "bad $ORIGIN: " + e.getMessage());
          }
        }
      }
    } catch (IOException e) {
      throw new ConfigError(display, 0, "cannot read: " + e.getMessage());
    }
    String base = file.getFileName().toString();
    base = base.substring(0, base.length() - ".zone".length());
    try {
      return Name.fromString(base, Name.root);
    } catch (TextParseException e) {
      throw new ConfigError(display, 1, "file name is not a domain name: " + e.getMessage());
    }
  }

  public static Zone load(Path file) throws ConfigError {
    return load(file, true);
  }

  /**
   * @param plainLines false: every line to dnsjava's Master (the reference the plain-line lexer
   *     is tested against)
   */
  static Zone load(Path file, boolean plainLines) throws ConfigError {
    Name origin = originOf(file);
    String display = file.toString();
    // Records stream from the reader into the compiler, which keeps only their bytes.
    Compiler compiler = new Compiler(display, origin,
        new NodeTableBuilder(origin, expectedRecords(file)));
    MasterFileReader.read(file, display, origin, compiler, plainLines);
    if (compiler.soa == null) {
      throw new ConfigError(display, 1, "no SOA record at the zone origin " + origin);
    }
    return new Zone(origin, file, compiler.table.finish(), Map.of(), compiler.soa,
        compiler.count);
  }

  /** The checks that make records a servable zone, on both kinds the reader hands out. */
  private static final class Compiler implements MasterFileReader.Sink {
    private final String display;
    private final Name origin;
    private final NodeTableBuilder table;
    private final Map<Integer, Integer> cnameLines = new HashMap<>();
    private SOARecord soa;
    private int count;
    private Name lastOwner;
    private int node = -1;

    Compiler(String display, Name origin, NodeTableBuilder table) {
      this.display = display;
      this.origin = origin;
      this.table = table;
    }

    @Override
    public void plain(PlainLine p, int line) throws ConfigError {
      // Inside the origin, class IN, no SOA, small RDATA: PlainLine takes no other line.
      lastOwner = null;
      node = table.node(p.owner, p.ownerLength);
      checkCname(p.type, line, () -> ownerName(p));
      table.add(node, p.type, p.ttl, p.rdata, 0, p.rdataLength);
      count++;
    }

    @Override
    public void record(Record r, int line) throws ConfigError {
      Name owner = r.getName();
      if (!owner.subdomain(origin)) {
        throw new ConfigError(display, line,
            "record " + owner + " is outside the zone origin " + origin);
      }
      if (r.getDClass() != DClass.IN) {
        throw new ConfigError(display, line, "only class IN is served, not "
            + DClass.string(r.getDClass()));
      }
      int type = r.getType();
      if (type == Type.SOA) {
        if (!owner.equals(origin)) {
          throw new ConfigError(display, line,
              "SOA owner " + owner + " is not the zone origin " + origin);
        }
        if (soa != null) {
          throw new ConfigError(display, line, "duplicate SOA record for " + origin);
        }
        soa = (SOARecord) r;
      }
      byte[] wire = NodeTableBuilder.wire(r);
      if (wire == null) {
        // dnsjava parses it, but no message can carry it: every query for it would fail
        throw new ConfigError(display, line, Type.string(type) + " record at " + owner
            + " has more than " + MAX_RDATA + " bytes of data, more than DNS can carry");
      }
      // Master hands back the same Name object for a line that leaves the owner blank.
      if (owner != lastOwner) {
        node = table.node(wire, owner.length());
        lastOwner = owner;
      }
      checkCname(type, line, () -> owner);
      table.add(node, r, wire);
      count++;
    }

    /** RFC 1034 §3.6.2: a CNAME alone at its name (DNSSEC records aside). */
    private void checkCname(int type, int line, Supplier<Name> owner) throws ConfigError {
      int held = table.flags(node);
      if (type == Type.CNAME) {
        if ((held & NodeTableBuilder.HAS_CNAME) != 0) {
          throw new ConfigError(display, line, "more than one CNAME at " + owner.get());
        }
        if ((held & NodeTableBuilder.HAS_OTHER_DATA) != 0) {
          throw new ConfigError(display, line,
              "CNAME at " + owner.get() + " beside other data (RFC 1034 §3.6.2)");
        }
        cnameLines.put(node, line);
      } else if (!isDnssec(type) && (held & NodeTableBuilder.HAS_CNAME) != 0) {
        throw new ConfigError(display, line, Type.string(type) + " at " + owner.get()
            + " beside a CNAME (line " + cnameLines.get(node) + ", RFC 1034 §3.6.2)");
      }
    }

    private static Name ownerName(PlainLine p) {
      try {
        return new Name(Arrays.copyOf(p.owner, p.ownerLength));
      } catch (IOException e) {
        throw new IllegalStateException("a name PlainLine wrote", e);
      }
    }
  }

  /** About 20 bytes per record line in a dense zone: sizes the tables so they rarely grow. */
  private static int expectedRecords(Path file) {
    try {
      return (int) Math.min(1 << 24, Math.max(64, Files.size(file) / 20));
    } catch (IOException e) {
      return 64;
    }
  }

  private static boolean isDnssec(int type) {
    return type == Type.RRSIG || type == Type.NSEC || type == Type.NSEC3;
  }
}
