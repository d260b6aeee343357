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

  private final Map<CheckType, Check> checks = new IdentityHashMap<>();

  /** See {@link CheckContext} for the parameters. */
  public CheckRegistry(EventLoopGroup group, Class<? extends SocketChannel> channelClass,
      Path probesDir, ExecutorService execPool, String userAgent, Ticker ticker) {
    CheckContext context = new CheckContext(group, channelClass, probesDir, execPool, userAgent,
        ticker);
    for (CheckType type : TYPES) {
      checks.put(type, type.create().apply(context));
    }
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
  public long execProbesKilled() {
    long sum = 0;
    for (Check c : checks.values()) {
      sum += c.killed();
    }
    return sum;
  }

  public Check get(CheckType type) {
    return checks.get(type);
  }
}
