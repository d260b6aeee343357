package io.dnslb.zone;

import java.util.Arrays;

/**
 * A growable byte array without locks (ByteArrayOutputStream takes a lock per write, which
 * shows when a zone compiles tens of millions of small writes). Load time only.
 */
final class ByteSink {
  private byte[] b;
  private int n;

  ByteSink(int capacity) {
    b = new byte[Math.max(16, capacity)];
  }

  int size() {
    return n;
  }

  /** The backing array: valid up to {@link #size()}, replaced when it grows. */
  byte[] array() {
    return b;
  }

  void u8(int v) {
    room(1);
    b[n++] = (byte) v;
  }

  void u16(int v) {
    room(2);
    b[n++] = (byte) (v >>> 8);
    b[n++] = (byte) v;
  }

  void u32(long v) {
    u16((int) (v >>> 16));
    u16((int) v);
  }

  void write(byte[] src, int off, int len) {
    room(len);
    System.arraycopy(src, off, b, n, len);
    n += len;
  }

  /** Empties the sink, keeping its array. */
  void clear() {
    n = 0;
  }

  byte[] toArray() {
    return Arrays.copyOf(b, n);
  }

  private void room(int more) {
    if (n + more > b.length) {
      b = Arrays.copyOf(b, Math.max(n + more, b.length + (b.length >> 1)));
    }
  }
}
