package io.dnslb.pool.topology;

import io.dnslb.config.ConfigError;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Address;

/**
 * Reads an operator's networks file: one {@code CIDR region} per line, {@code #} starts a
 * comment. Nested networks are fine (the longest prefix wins); a bad CIDR, host bits set, an
 * unknown region or a network listed twice are {@code FILE:LINE} errors.
 */
public final class NetworksFile {
  private NetworksFile() {}

  /**
   * The file's networks as one table per family.
   *
   * @param regions region name → index, the values the tables map to
   */
  public static PrefixTables read(Path file, Map<String, Integer> regions,
      List<ConfigError> errors) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      errors.add(new ConfigError(file.toString(), 0, "cannot read networks file: "
          + e.getMessage()));
      return PrefixTables.EMPTY;
    }
    List<RangeTable.Network> v4 = new ArrayList<>();
    List<RangeTable.Network> v6 = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      int lineNo = i + 1;
      String line = lines.get(i);
      int hash = line.indexOf('#');
      String[] words = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
      if (words.length == 1 && words[0].isEmpty()) {
        continue;
      }
      String problem = null;
      if (words.length != 2) {
        problem = "expected 'CIDR region', got '" + line.trim() + "'";
      } else if (!regions.containsKey(words[1])) {
        problem = "unknown region '" + words[1] + "' (known: "
            + String.join(", ", regions.keySet().stream().sorted().toList()) + ")";
      }
      RangeTable.Network net = null;
      if (problem == null) {
        try {
          net = network(words[0], regions.get(words[1]));
        } catch (IllegalArgumentException e) {
          problem = e.getMessage();
        }
      }
      if (problem == null) {
        String key = (net.prefix() > 32 || words[0].contains(":") ? "6/" : "4/")
            + net.hi() + "/" + net.lo() + "/" + net.prefix();
        Integer earlier = seen.putIfAbsent(key, lineNo);
        if (earlier != null) {
          problem = "network " + words[0] + " is already listed on line " + earlier;
        } else {
          (words[0].contains(":") ? v6 : v4).add(net);
        }
      }
      if (problem != null) {
        errors.add(new ConfigError(file.toString(), lineNo, problem));
      }
    }
    return new PrefixTables(RangeTable.of(32, v4), RangeTable.of(128, v6));
  }

  /** Parses {@code 192.0.2.0/24} or {@code 2001:db8::/32}; host bits must be zero. */
  static RangeTable.Network network(String cidr, int value) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("'" + cidr + "' is not a CIDR such as 192.0.2.0/24");
    }
    String text = cidr.substring(0, slash);
    boolean v6 = text.contains(":");
    byte[] bytes = Address.toByteArray(text, v6 ? Address.IPv6 : Address.IPv4);
    int bits = v6 ? 128 : 32;
    int prefix;
    try {
      prefix = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      prefix = -1;
    }
    if (bytes == null || prefix < 0 || prefix > bits || !canonical(bytes, v6)) {
      throw new IllegalArgumentException("'" + cidr + "' is not a CIDR such as "
          + (v6 ? "2001:db8::/32" : "192.0.2.0/24"));
    }
    long hi = RangeTable.hi(bytes);
    long lo = RangeTable.lo(bytes, v6 ? 2 : 1);
    if ((hi & ~RangeTable.maskHi(prefix)) != 0 || (v6 && (lo & ~RangeTable.maskLo(prefix)) != 0)) {
      throw new IllegalArgumentException("'" + cidr + "' has host bits set; did you mean "
          + format(hi & RangeTable.maskHi(prefix), lo & RangeTable.maskLo(prefix), v6) + "/"
          + prefix + "?");
    }
    return new RangeTable.Network(hi, lo, prefix, value);
  }

  /** Refuses an IPv4-mapped IPv6 literal, which would silently become an IPv4 network. */
  private static boolean canonical(byte[] bytes, boolean v6) {
    try {
      return !(v6 && InetAddress.getByAddress(bytes) instanceof Inet4Address);
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String format(long hi, long lo, boolean v6) {
    byte[] b = new byte[v6 ? 16 : 4];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) ((i < 8 ? hi >>> (56 - 8 * i) : lo >>> (120 - 8 * i)));
    }
    try {
      return InetAddress.getByAddress(b).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
