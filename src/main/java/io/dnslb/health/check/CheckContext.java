package io.dnslb.health.check;

import io.dnslb.time.Ticker;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;

/**
 * What the server shares with its checks.
 *
 * @param group shared event loops for socket probes
 * @param channelClass the client socket class matching the group (epoll or NIO)
 * @param execPool bounded pool that runs exec probes
 * @param userAgent what HTTP(S) probes send, {@code dnslb/<version> (<server name>)}, so a
 *     backend can tell which server of a fleet probes it
 * @param ticker measures each probe's latency
 */
public record CheckContext(EventLoopGroup group, Class<? extends SocketChannel> channelClass,
    Path probesDir, ExecutorService execPool, String userAgent, Ticker ticker) {}
