package io.dnslb.zone;

import io.dnslb.config.ConfigError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
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

  /** Types whose data has no small fixed bound; checking only these keeps big zones fast. */
  private static boolean mayExceedRdataLimit(int type) {
    return switch (type) {
      case Type.A, Type.AAAA, Type.NS, Type.CNAME, Type.PTR, Type.MX, Type.SOA -> false;
      default -> true;
    };
  }

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
    // One small list of RRsets per name (most names hold one type): far cheaper than a map per
    // name for a million-record zone. Sized from the file so the table is not rehashed again
    // and again (about 20 bytes per record line in a dense zone).
    Map<Name, List<RRset>> data = new HashMap<>(initialCapacity(file));
    Map<Name, Integer> cnameLines = new HashMap<>();
    SOARecord soa = null;
    int count = 0;
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
        if (mayExceedRdataLimit(type) && r.rdataToWireCanonical().length > MAX_RDATA) {
          // dnsjava parses it, but no message can carry it: every query for it would fail
          throw new ConfigError(display, line, Type.string(type) + " record at " + owner
              + " has more than " + MAX_RDATA + " bytes of data, more than DNS can carry");
        }
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
        List<RRset> node = data.computeIfAbsent(owner, k -> new ArrayList<>(1));
        if (type == Type.CNAME) {
          if (find(node, Type.CNAME) != null) {
            throw new ConfigError(display, line, "more than one CNAME at " + owner);
          }
          if (hasNonDnssecData(node)) {
            throw new ConfigError(display, line,
                "CNAME at " + owner + " beside other data (RFC 1034 §3.6.2)");
          }
          cnameLines.put(owner, line);
        } else if (!isDnssec(type) && find(node, Type.CNAME) != null) {
          throw new ConfigError(display, line, Type.string(type) + " at " + owner
              + " beside a CNAME (line " + cnameLines.get(owner) + ", RFC 1034 §3.6.2)");
        }
        RRset set = find(node, type);
        if (set == null) {
          node.add(new RRset(r));
        } else {
          set.addRR(r);
        }
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
    return build(origin, file, data, soa, count);
  }

  private static RRset find(List<RRset> node, int type) {
    for (RRset s : node) {
      if (s.getType() == type) {
        return s;
      }
    }
    return null;
  }

  private static int initialCapacity(Path file) {
    try {
      return (int) Math.min(1 << 26, Math.max(64, Files.size(file) / 20 * 4 / 3));
    } catch (IOException e) {
      return 64;
    }
  }

  private static Zone build(Name origin, Path file, Map<Name, List<RRset>> data,
      SOARecord soa, int count) {
    Map<Name, Node> nodes = new HashMap<>((int) (data.size() * 1.5));
    for (Map.Entry<Name, List<RRset>> e : data.entrySet()) {
      nodes.put(e.getKey(), new Node(e.getValue()));
    }
    // Every ancestor between a name and the origin exists (RFC 4592 §2.2.2): an empty
    // non-terminal answers NODATA and blocks wildcard synthesis.
    for (Name name : data.keySet()) {
      for (int strip = 1; strip < name.labels() - origin.labels(); strip++) {
        Name parent = new Name(name, strip);
        if (nodes.putIfAbsent(parent, Node.EMPTY) != null) {
          // Present already: data (its own ancestors get added when it is walked) or an ENT
          // whose ancestors were added with it. Either way the rest of the chain is covered.
          break;
        }
      }
    }
    return new Zone(origin, file, nodes, soa, count);
  }

  private static boolean hasNonDnssecData(List<RRset> node) {
    for (RRset s : node) {
      if (!isDnssec(s.getType())) {
        return true;
      }
    }
    return false;
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
