package io.dnslb.observe;

import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram with fixed bucket bounds. Recording touches two LongAdders and one bucket
 * adder, so concurrent event loops never contend on one cache line for long.
 */
public final class Histogram {
  private final long[] boundsNanos;
  private final LongAdder[] buckets; // buckets[i] counts observations <= boundsNanos[i]; last is +Inf
  private final LongAdder sumNanos = new LongAdder();

  public Histogram(long... boundsNanos) {
    this.boundsNanos = boundsNanos.clone();
    this.buckets = new LongAdder[boundsNanos.length + 1];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  public void record(long nanos) {
    int i = 0;
    while (i < boundsNanos.length && nanos > boundsNanos[i]) {
      i++;
    }
    buckets[i].increment();
    sumNanos.add(nanos);
  }

  /** Writes {@code _bucket}, {@code _sum} and {@code _count} lines; bounds and sum in seconds. */
  void writeTo(PrometheusText out, String name, String labels) {
    long cumulative = 0;
    String sep = labels.isEmpty() ? "" : labels + ",";
    for (int i = 0; i < buckets.length; i++) {
      cumulative += buckets[i].sum();
      String le = i < boundsNanos.length ? PrometheusText.seconds(boundsNanos[i]) : "+Inf";
      out.sample(name + "_bucket", sep + "le=\"" + le + "\"", cumulative);
    }
    out.sample(name + "_sum", labels, sumNanos.sum() / 1e9);
    out.sample(name + "_count", labels, cumulative);
  }
}
