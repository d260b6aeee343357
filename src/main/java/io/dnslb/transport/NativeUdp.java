package io.dnslb.transport;

import io.dnslb.query.QueryProcessor;
import io.dnslb.ratelimit.RateLimiter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * The UDP transport outside Netty: on JDK 22+ on Linux, threads that call recvmmsg/sendmmsg
 * through the JDK's foreign-function API over preallocated native message arrays, so a datagram
 * costs no Java object (Netty makes a DatagramPacket, an address and a buffer per datagram).
 * The implementation (transport.ffm.FfmUdp) is compiled from src/main/java22 with JDK 22+
 * into the same jar and loaded by name only on a JDK that can run it; a JDK 17 build has no such
 * class and dnslb uses Netty.
 */
public interface NativeUdp extends AutoCloseable {
  /** By name, not by reference: no compile-time dependency on classes JDK 17 cannot build. */
  String IMPLEMENTATION = NativeUdp.class.getPackageName() + ".ffm.FfmUdp";

  /** Binds {@code loops} sockets on the address with SO_REUSEPORT, each read by its own thread. */
  void bind(InetSocketAddress address, int loops) throws BindException;

  /** Stops every loop and closes its socket; returns once the ports are free again. */
  @Override
  void close();

  /** Why the native transport cannot run here, or null when it can. */
  static String unavailable() {
    if (Runtime.version().feature() < 22) {
      return "needs JDK 22 or newer (this is " + Runtime.version().feature() + ")";
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "");
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64")
        || arch.equals("aarch64"))) {
      return "needs Linux on x86_64 or aarch64 (this is " + os + " " + arch + ")";
    }
    try {
      Class.forName(IMPLEMENTATION, false, NativeUdp.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return "this jar was built without it (build with a JDK 22+ installed, see the README)";
    }
    return null;
  }

  /**
   * The native transport reading up to {@code batch} datagrams per recvmmsg, or an
   * IllegalStateException saying why it cannot run here.
   */
  static NativeUdp create(QueryProcessor processor, RateLimiter rateLimiter, int batch) {
    String why = unavailable();
    if (why != null) {
      throw new IllegalStateException("native UDP transport unavailable: " + why);
    }
    try {
      return (NativeUdp) Class.forName(IMPLEMENTATION)
          .getConstructor(QueryProcessor.class, RateLimiter.class, int.class)
          .newInstance(processor, rateLimiter, batch);
    } catch (ReflectiveOperationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("native UDP transport unavailable: " + cause, cause);
    } catch (LinkageError e) {
      throw new IllegalStateException("native UDP transport unavailable: " + e, e);
    }
  }
}
