package io.dnslb.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.wire.FastQuery;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The answer cache does its maintenance on the thread that stores or reads (no hand-off to
 * ForkJoinPool.commonPool, whose wake-ups preempt an event loop on a server pinned to few
 * cores): an eviction is done when {@code store} returns, so the cache never holds more than
 * its byte bound, not even for a moment. With the default executor the evictions run later on
 * another thread and the bound is overshot between stores.
 */
class ResponseCacheTest {
  private static final long MAX_BYTES = 4_000;

  @Test
  void evictsOnTheStoringThread() throws Exception {
    ResponseCache cache = new ResponseCache(MAX_BYTES);
    FastQuery q = new FastQuery();
    ResponseCache.Key probe = new ResponseCache.Key();
    byte[] out = new byte[65535];
    int minWeight = Integer.MAX_VALUE;
    for (int i = 0; i < 500; i++) {
      Name name = Name.fromString("n" + i + ".cache.test.");
      byte[] query = Message.newQuery(Record.newRecord(name, Type.TXT, DClass.IN)).toWire();
      assertTrue(q.parse(query, query.length));
      Message response = new Message(1);
      response.getHeader().setFlag(Flags.QR);
      response.addRecord(Record.newRecord(name, Type.TXT, DClass.IN), Section.QUESTION);
      response.addRecord(new TXTRecord(name, DClass.IN, 60, "x".repeat(60)), Section.ANSWER);
      byte[] bytes = response.toWire(512);
      minWeight = Math.min(minWeight, bytes.length + 64);
      cache.store(probe.set(q, 512), response, bytes, null);
      long bound = MAX_BYTES / minWeight;
      assertTrue(cache.size() <= bound, "after store " + i + ": " + cache.size() + " > " + bound);
      if (i == 0) {
        assertEquals(bytes.length, cache.copyTo(probe, query, q, out), "a stored answer hits");
      }
    }
  }
}
