package io.dnslb.zone;

import java.util.Arrays;

/** A growable int array (no boxing): load-time bookkeeping per name and per record. */
final class IntList {
  private int[] a;
  private int n;

  IntList(int capacity) {
    a = new int[Math.max(16, capacity)];
  }

  int size() {
    return n;
  }

  int get(int i) {
    return a[i];
  }

  void set(int i, int v) {
    a[i] = v;
  }

  void add(int v) {
    if (n == a.length) {
      a = Arrays.copyOf(a, a.length + (a.length >> 1));
    }
    a[n++] = v;
  }

  int[] toArray() {
    return Arrays.copyOf(a, n);
  }
}
