package io.dnslb.transport.ffm;

import static io.dnslb.transport.ffm.Libc.IOVEC;
import static io.dnslb.transport.ffm.Libc.MMSGHDR;
import static io.dnslb.transport.ffm.Libc.MSG_FLAGS;
import static io.dnslb.transport.ffm.Libc.MSG_IOV;
import static io.dnslb.transport.ffm.Libc.MSG_IOVLEN;
import static io.dnslb.transport.ffm.Libc.MSG_LEN;
import static io.dnslb.transport.ffm.Libc.MSG_NAME;
import static io.dnslb.transport.ffm.Libc.MSG_NAMELEN;
import static io.dnslb.transport.ffm.Libc.SOCKADDR;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.dnslb.query.ClientAddress;
import io.dnslb.query.QueryProcessor;
import io.dnslb.ratelimit.RateLimiter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One UDP socket read by one thread: a blocking recvmmsg fills up to {@code batch} datagrams
 * into preallocated native slots (MSG_WAITFORONE: it returns as soon as one has come, with
 * whatever else is queued), each is answered into its send slot, and one sendmmsg sends them
 * all. The message headers, address slots and buffers are allocated once; a datagram creates no
 * Java object on the fast path. At a low rate this is one wake-up and two system calls per
 * batch, with no selector, task queue or timer in between.
 */
final class UdpLoop implements Runnable {
  /** Largest query read; a longer one is dropped (MSG_TRUNC), as no real DNS query is. */
  private static final int QUERY_SLOT = 4096;
  /** Largest answer: a UDP payload. */
  private static final int ANSWER_SLOT = 65535;
  private static final ValueLayout.OfInt NETWORK_INT =
      JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private final int fd;
  private final QueryProcessor processor;
  private final RateLimiter rateLimiter;
  /** Datagrams per recvmmsg (dnslb.dns.udp-batch; 16 by default, as Netty's loop reads). */
  private final int batch;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment recvHeaders;
  private final MemorySegment sendHeaders;
  private final MemorySegment sendIov;
  /** Where recvmmsg writes each sender's address, and sendmmsg reads it back as the target. */
  private final MemorySegment names;
  private final MemorySegment queries;
  private final MemorySegment answers;
  private final byte[] query = new byte[QUERY_SLOT];
  private final byte[] answer = new byte[ANSWER_SLOT];
  private final ClientAddress client = new ClientAddress();
  private volatile boolean stopping;

  UdpLoop(int fd, QueryProcessor processor, RateLimiter rateLimiter, int batch) {
    this.fd = fd;
    this.processor = processor;
    this.rateLimiter = rateLimiter;
    this.batch = batch;
    recvHeaders = arena.allocate(MMSGHDR * batch, 8);
    sendHeaders = arena.allocate(MMSGHDR * batch, 8);
    sendIov = arena.allocate(IOVEC * batch, 8);
    names = arena.allocate(SOCKADDR * batch, 8);
    queries = arena.allocate((long) QUERY_SLOT * batch, 8);
    answers = arena.allocate((long) ANSWER_SLOT * batch, 8);
    MemorySegment recvIov = arena.allocate(IOVEC * batch, 8);
    for (int i = 0; i < batch; i++) {
      long h = i * MMSGHDR;
      recvIov.set(ADDRESS, i * IOVEC, queries.asSlice((long) i * QUERY_SLOT, QUERY_SLOT));
      recvIov.set(JAVA_LONG, i * IOVEC + 8, QUERY_SLOT);
      recvHeaders.set(ADDRESS, h + MSG_NAME, names.asSlice(i * SOCKADDR, SOCKADDR));
      recvHeaders.set(JAVA_INT, h + MSG_NAMELEN, (int) SOCKADDR);
      recvHeaders.set(ADDRESS, h + MSG_IOV, recvIov.asSlice(i * IOVEC, IOVEC));
      recvHeaders.set(JAVA_LONG, h + MSG_IOVLEN, 1);
      sendIov.set(ADDRESS, i * IOVEC, answers.asSlice((long) i * ANSWER_SLOT, ANSWER_SLOT));
      sendHeaders.set(ADDRESS, h + MSG_IOV, sendIov.asSlice(i * IOVEC, IOVEC));
      sendHeaders.set(JAVA_LONG, h + MSG_IOVLEN, 1);
    }
  }

  @Override
  public void run() {
    try {
      while (!stopping) {
        int n = recv();
        if (n > 0) {
          try {
            int out = answerAll(n);
            if (out > 0) {
              send(out);
            }
          } catch (RuntimeException e) {
            // The processor answers SERVFAIL rather than throw; should anything else throw, this
            // batch is lost and the socket keeps serving, as a Netty handler would.
          }
        }
      }
    } finally {
      arena.close();
    }
  }

  /** Asks the loop to stop; the caller then wakes it with shutdown(2) and joins the thread. */
  void stop() {
    stopping = true;
  }

  private int recv() {
    int n;
    try {
      n = (int) Libc.RECVMMSG.invokeExact(fd, recvHeaders, batch, Libc.MSG_WAITFORONE,
          MemorySegment.NULL);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
    // -1: the receive timeout (EAGAIN: a chance to see stop()), a signal (EINTR), or an error
    // that concerns one read (ENOMEM); the next call blocks again, so the loop cannot spin.
    return n;
  }

  /** Answers datagrams 0..n-1 into send slots; returns how many answers are to be sent. */
  private int answerAll(int n) {
    int out = 0;
    for (int i = 0; i < n; i++) {
      long h = i * MMSGHDR;
      int length = recvHeaders.get(JAVA_INT, h + MSG_LEN);
      int flags = recvHeaders.get(JAVA_INT, h + MSG_FLAGS);
      int nameLength = recvHeaders.get(JAVA_INT, h + MSG_NAMELEN);
      recvHeaders.set(JAVA_INT, h + MSG_NAMELEN, (int) SOCKADDR); // value-result: reset it
      if ((flags & Libc.MSG_TRUNC) != 0 || !client(i * SOCKADDR)) {
        continue;
      }
      MemorySegment.copy(queries, JAVA_BYTE, (long) i * QUERY_SLOT, query, 0, length);
      int r = processor.process(query, length, client, false, answer);
      if (r <= 0) {
        continue;
      }
      byte[] bytes = answer;
      if (rateLimiter != RateLimiter.NONE) {
        // With RRL on, the limiter classifies and may truncate a copy (as on Netty); off, the
        // default, the answer goes from the scratch array straight to its send slot.
        bytes = rateLimiter.filter(client.inet(), Arrays.copyOf(answer, r));
        if (bytes == null) {
          continue;
        }
        r = bytes.length;
      }
      long o = out * MMSGHDR;
      MemorySegment.copy(bytes, 0, answers, JAVA_BYTE, (long) out * ANSWER_SLOT, r);
      sendIov.set(JAVA_LONG, out * IOVEC + 8, r);
      sendHeaders.set(JAVA_LONG, o + MSG_NAME, names.address() + i * SOCKADDR);
      sendHeaders.set(JAVA_INT, o + MSG_NAMELEN, nameLength);
      out++;
    }
    return out;
  }

  /**
   * Sends answers 0..count-1. A failed message (an unreachable or filtered destination) is
   * skipped and the rest still go: sendmmsg stops at the first failure.
   */
  private void send(int count) {
    int sent = 0;
    while (sent < count) {
      int r;
      MemorySegment from = sent == 0 ? sendHeaders : sendHeaders.asSlice(sent * MMSGHDR);
      try {
        r = (int) Libc.SENDMMSG.invokeExact(fd, from, count - sent, 0);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
      sent += r > 0 ? r : 1; // -1: the first message failed (or a signal came): skip it
    }
  }

  /**
   * Reads the sender's address from its slot into {@link #client}: IPv4, IPv6, or IPv4 mapped
   * into IPv6 (a dual-stack socket), which is given as IPv4, as the JDK does. False for anything
   * else, which is not answered.
   */
  private boolean client(long slot) {
    int family = names.get(JAVA_SHORT, slot);
    if (family == Libc.AF_INET) {
      client.setIpv4(names.get(NETWORK_INT, slot + 4));
      return true;
    }
    if (family != Libc.AF_INET6) {
      return false;
    }
    long a = slot + 8;
    if (names.get(JAVA_LONG, a) == 0 && names.get(NETWORK_INT, a + 8) == 0xFFFF) {
      client.setIpv4(names.get(NETWORK_INT, a + 12));
      return true;
    }
    MemorySegment.copy(names, JAVA_BYTE, a, client.ipv6Bytes(), 0, 16);
    client.setIpv6();
    return true;
  }
}
