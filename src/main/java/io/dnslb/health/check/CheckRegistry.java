package io.dnslb.health.check;

import io.dnslb.time.Ticker;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/** Every check type, by the name configs use, and their checks. Add a type here, one line. */
public final class CheckRegistry {
  private static final List<CheckType> TYPES = List.of(
      TcpCheck.TYPE,
      HttpCheck.HTTP,
      HttpCheck.HTTPS,
      ExecCheck.TYPE,
      NoneCheck.TYPE);

  /** A check block without {@code type}. */
  public static final CheckType DEFAULT = TcpCheck.TYPE;
  /** Members that are not probed: always up. */
  public static final CheckType NONE = NoneCheck.TYPE;

  // Each check is made when a member first uses its type, not at start: the https check alone
  // loads the JDK's TLS and crypto providers (about a second of CPU before the first answer on
  // one core), and most servers never probe https.
  private final Map<CheckType, Check> checks = new IdentityHashMap<>();
  private final CheckContext context;

  /** See {@link CheckContext} for the parameters. */
  public CheckRegistry(EventLoopGroup group, Class<? extends SocketChannel> channelClass,
      Path probesDir, ExecutorService execPool, String userAgent, Ticker ticker) {
    context = new CheckContext(group, channelClass, probesDir, execPool, userAgent, ticker);
  }

  /** The type with this name, or null. */
  public static CheckType byName(String name) {
    for (CheckType t : TYPES) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    return null;
  }

  public static List<CheckType> all() {
    return TYPES;
  }

  /** The names of the types that read {@code key} themselves, or of the socket types. */
  public static List<String> namesWith(java.util.function.Predicate<CheckType> which) {
    List<String> out = new ArrayList<>();
    for (CheckType t : TYPES) {
      if (which.test(t)) {
        out.add(t.name());
      }
    }
    return out;
  }

  /** Probes killed at their deadline or for leaving processes behind, since start. */
  public synchronized long execProbesKilled() {
    long sum = 0;
    for (Check c : checks.values()) {
      sum += c.killed();
    }
    return sum;
  }

  public synchronized Check get(CheckType type) {
    return TYPES.contains(type) ? checks.computeIfAbsent(type, t -> t.create().apply(context)) : null;
  }
}
