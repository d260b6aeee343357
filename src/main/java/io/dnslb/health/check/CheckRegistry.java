package io.dnslb.health.check;

import io.dnslb.time.Ticker;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * The one place that maps a check type to its implementation. Adding a type is a {@link CheckType}
 * constant plus one line here; the exhaustive switch makes the compiler insist on that line.
 */
public final class CheckRegistry {
  private final Map<CheckType, Check> checks = new EnumMap<>(CheckType.class);
  private final ExecCheck exec;

  /**
   * @param group shared event loops for socket probes
   * @param channelClass the client socket class matching the group (epoll or NIO)
   * @param execPool bounded pool that runs exec probes
   * @param userAgent what HTTP(S) probes send, {@code dnslb/<version> (<server name>)}, so a
   *     backend can tell which server of a fleet probes it
   * @param ticker measures each probe's latency
   */
  public CheckRegistry(EventLoopGroup group, Class<? extends SocketChannel> channelClass,
      Path probesDir, ExecutorService execPool, String userAgent, Ticker ticker) {
    this.exec = new ExecCheck(probesDir, execPool, ticker);
    for (CheckType type : CheckType.values()) {
      checks.put(type, switch (type) {
        case TCP -> new TcpCheck(group, channelClass, ticker);
        case HTTP -> new HttpCheck(group, channelClass, false, userAgent, ticker);
        case HTTPS -> new HttpCheck(group, channelClass, true, userAgent, ticker);
        case EXEC -> exec;
        case NONE -> new NoneCheck();
      });
    }
  }

  /** Exec probes killed at their deadline or for leaving processes behind, since start. */
  public long execProbesKilled() {
    return exec.killed();
  }

  public Check get(CheckType type) {
    return checks.get(type);
  }
}
