package io.dnslb.zone;

import io.dnslb.config.ConfigError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Tokenizer;
import org.xbill.DNS.Type;

/**
 * Parses one RFC 1035 master file into an immutable {@link Zone}, or fails with
 * {@code FILE:LINE: message}. Parsing is dnsjava's {@link Master}; the checks that make a file a
 * servable zone (one SOA at the apex, nothing outside the origin, CNAME alone) are ours.
 */
public final class ZoneLoader {
  private static final Pattern ORIGIN_DIRECTIVE =
      Pattern.compile("^\\$ORIGIN\\s+(\\S+)", Pattern.CASE_INSENSITIVE);

  // dnsjava does not expose the line a record came from; its tokenizer counts lines in a private
  // field. Reading it (pinned dnsjava version, see pom) is what lets every error name FILE:LINE.
  private static final Field MASTER_TOKENIZER = field(Master.class, "st");
  private static final Field TOKENIZER_LINE = field(Tokenizer.class, "line");

  /** RDLENGTH is 16 bits (RFC 1035 §3.2.1). */
  private static final int MAX_RDATA = 65535;

  private ZoneLoader() {}

  private static Field field(Class<?> owner, String name) {
    try {
      Field f = owner.getDeclaredField(name);
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

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
    Name origin = originOf(file);
    String display = file.toString();
    // Records stream from the parser into the compiler, which keeps only their bytes.
    NodeTableBuilder table = new NodeTableBuilder(origin, expectedRecords(file));
    Map<Integer, Integer> cnameLines = new HashMap<>();
    SOARecord soa = null;
    int count = 0;
    Name lastOwner = null;
    int node = -1;
    try (InputStream in = Files.newInputStream(file);
        Master master = new Master(in, origin, 3600)) {
      master.disableIncludes(true);
      Tokenizer tokenizer = (Tokenizer) MASTER_TOKENIZER.get(master);
      while (true) {
        Record r;
        try {
          r = master.nextRecord();
        } catch (TextParseException e) {
          throw new ConfigError(display, TOKENIZER_LINE.getInt(tokenizer), stripPrefix(e));
        } catch (IOException e) {
          throw new ConfigError(display, TOKENIZER_LINE.getInt(tokenizer), stripPrefix(e));
        }
        if (r == null) {
          break;
        }
        // After a record the tokenizer has consumed its end of line: the record is on the line
        // before (multi-line records report their closing line).
        int line = Math.max(1, TOKENIZER_LINE.getInt(tokenizer) - 1);
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
        int held = table.flags(node);
        if (type == Type.CNAME) {
          if ((held & NodeTableBuilder.HAS_CNAME) != 0) {
            throw new ConfigError(display, line, "more than one CNAME at " + owner);
          }
          if ((held & NodeTableBuilder.HAS_OTHER_DATA) != 0) {
            throw new ConfigError(display, line,
                "CNAME at " + owner + " beside other data (RFC 1034 §3.6.2)");
          }
          cnameLines.put(node, line);
        } else if (!isDnssec(type) && (held & NodeTableBuilder.HAS_CNAME) != 0) {
          throw new ConfigError(display, line, Type.string(type) + " at " + owner
              + " beside a CNAME (line " + cnameLines.get(node) + ", RFC 1034 §3.6.2)");
        }
        table.add(node, r, wire);
        count++;
      }
    } catch (IOException e) {
      throw new ConfigError(display, 0, "cannot read: " + e.getMessage());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
    if (soa == null) {
      throw new ConfigError(display, 1, "no SOA record at the zone origin " + origin);
    }
    return new Zone(origin, file, table.finish(), Map.of(), soa, count);
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

  private static String stripPrefix(Exception e) {
    String m = String.valueOf(e.getMessage());
    // dnsjava prefixes "<file>:<line>: "; we print our own FILE:LINE.
    Matcher matcher = Pattern.compile("^.*?:\\d+: ").matcher(m);
    return ParseMessages.ours(matcher.find() ? m.substring(matcher.end()) : m);
  }
}
