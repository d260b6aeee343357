package io.dnslb.transport.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The few libc calls the native UDP loop makes, bound once through the foreign-function API,
 * and the Linux constants and struct layouts they take (LP64: x86_64 and aarch64 share them).
 * Every call returns -1 on failure and leaves errno in the caller's capture segment.
 */
final class Libc {
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  static final int SOCK_DGRAM = 2;
  static final int SOCK_CLOEXEC = 0x80000;
  static final int SOL_SOCKET = 1;
  static final int SO_RCVBUF = 8;
  static final int SO_REUSEPORT = 15;
  static final int SO_RCVTIMEO = 20;
  static final int MSG_TRUNC = 0x20;
  static final int MSG_WAITFORONE = 0x10000;
  static final int SHUT_RD = 0;
  static final int EINTR = 4;
  static final int EAGAIN = 11;

  /** struct msghdr (56 bytes) inside struct mmsghdr (64: msg_len at 56, then padding). */
  static final long MSG_NAME = 0;
  static final long MSG_NAMELEN = 8;
  static final long MSG_IOV = 16;
  static final long MSG_IOVLEN = 24;
  static final long MSG_FLAGS = 48;
  static final long MSG_LEN = 56;
  static final long MMSGHDR = 64;
  /** struct iovec: base, length. */
  static final long IOVEC = 16;
  /** Room for a sockaddr_in6 (28 bytes), rounded up. */
  static final long SOCKADDR = 32;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
  static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final long ERRNO_OFFSET =
      CAPTURE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

  static final MethodHandle SOCKET = call("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
  static final MethodHandle BIND = call("bind", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
  static final MethodHandle SETSOCKOPT =
      call("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
  static final MethodHandle RECVMMSG =
      call("recvmmsg", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS);
  static final MethodHandle SENDMMSG =
      call("sendmmsg", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
  static final MethodHandle SHUTDOWN = call("shutdown", JAVA_INT, JAVA_INT, JAVA_INT);
  static final MethodHandle CLOSE = call("close", JAVA_INT, JAVA_INT);
  private static final MethodHandle STRERROR = LINKER.downcallHandle(
      LIBC.find("strerror").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_INT));

  private Libc() {}

  private static MethodHandle call(String name, MemoryLayout result, MemoryLayout... args) {
    return LINKER.downcallHandle(LIBC.find(name).orElseThrow(
        () -> new UnsupportedOperationException("libc has no " + name)),
        FunctionDescriptor.of(result, args), ERRNO);
  }

  static int errno(MemorySegment capture) {
    return capture.get(JAVA_INT, ERRNO_OFFSET);
  }

  /** The C library's message for an errno, e.g. "Address already in use". */
  static String message(int errno) {
    try {
      MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
      return s.reinterpret(256).getString(0);
    } catch (Throwable t) {
      return "errno " + errno;
    }
  }

  static MemorySegment capture(Arena arena) {
    return arena.allocate(CAPTURE);
  }
}
