package io.dnslb.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dnslb.answer.Catalog;
import io.dnslb.answer.ChaosAnswers;
import io.dnslb.answer.Lookup;
import io.dnslb.answer.LookupResult;
import io.dnslb.answer.Responder;
import io.dnslb.pool.PoolRuntime;
import io.dnslb.wire.Query;
import io.dnslb.wire.QueryDecoder;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The two query paths side by side over one catalog, and the rule for comparing them: identical
 * bytes, except that where a pool's policy chooses at random (or rotates) the answer records may
 * differ, as long as they are as many, as large, with the same owner, type, class and TTL, and
 * drawn from the pool's members, and their RRSIGs (signed zones, DO) alike but for the signature.
 * Used by the battery and by the fuzz target.
 */
final class PathComparison {
  final Catalog catalog;
  final QueryProcessor general;
  final QueryProcessor fast;
  private final Lookup lookup;

  /**
   * @param failures told of every bug that reached a processor's catch-all (the client saw
   *     SERVFAIL or FORMERR; a test must not)
   */
  PathComparison(Catalog catalog, int udpPayload, Consumer<RuntimeException> failures) {
    this.catalog = catalog;
    PreparedCatalog prepared = PreparedCatalog.of(catalog);
    Responder responder = new Responder(udpPayload, 8, new ChaosAnswers("dnslb-test", "", ""));
    this.lookup = responder.lookup();
    this.general = new QueryProcessor(responder, () -> prepared, observer(true, failures));
    this.fast = new QueryProcessor(responder, () -> prepared, observer(false, failures));
  }

  /** Failing tests on any internal failure. */
  PathComparison(Catalog catalog, int udpPayload) {
    this(catalog, udpPayload, e -> {
      throw new AssertionError("query path failed internally", e);
    });
  }

  /**
   * An observer that reports failures; a detailed one forces the general path (it wants the
   * decoded query, which only that path has).
   */
  private static QueryObserver observer(boolean detailed, Consumer<RuntimeException> failures) {
    return new QueryObserver() {
      @Override
      public void answered(boolean tcp, int qtype, int rcode, long nanos, Query q, Message r) {}

      @Override
      public void failed(RuntimeException e) {
        failures.accept(e);
      }

      @Override
      public boolean detailed() {
        return detailed;
      }
    };
  }

  /** Both paths' answers to one packet, compared; returns the general path's. */
  byte[] compare(byte[] packet, InetAddress source, boolean tcp, String what)
      throws IOException {
    byte[] expected = general.process(packet, source, tcp);
    byte[] actual = fast.process(packet, source, tcp);
    if (expected == null) {
      assertNull(actual, what);
      return null;
    }
    assertNotNull(actual, what);
    PoolRuntime chooser = choosingPool(packet, source, tcp);
    if (chooser == null) {
      assertArrayEquals(expected, actual, () -> what + "\n" + text(expected) + "\n" + text(actual));
    } else {
      assertSameShape(expected, actual, chooser, what);
    }
    return expected;
  }

  /**
   * The pool whose policy picks this query's addresses, when the pick may differ between two
   * runs (more than one candidate and not client-aware); null when the bytes must match exactly.
   * Asked of the lookup that decides both paths' answers ({@link Lookup#route}: its CNAME chain
   * and the pool at its end, without moving the pool on).
   */
  private PoolRuntime choosingPool(byte[] packet, InetAddress source, boolean tcp) {
    Query q = QueryDecoder.decode(packet, source, tcp).query();
    if (q == null || (q.qclass() != DClass.IN && q.qclass() != DClass.ANY)) {
      return null;
    }
    LookupResult r = lookup.route(catalog, q.qname(), q.qtype());
    if (r instanceof LookupResult.Cname c) {
      r = c.last();
    }
    if (r instanceof LookupResult.PoolName p && p.pool() instanceof PoolRuntime runtime
        && !runtime.config().policy().usesClient() && runtime.config().members().size() > 1) {
      return runtime;
    }
    return null;
  }

  private void assertSameShape(byte[] expected, byte[] actual, PoolRuntime pool,
      String what) throws IOException {
    String both = what + "\n" + text(expected) + "\n" + text(actual);
    assertEquals(expected.length, actual.length, both);
    assertArrayEquals(Arrays.copyOf(expected, 12), Arrays.copyOf(actual, 12), "header: " + both);
    Message e = new Message(expected);
    Message a = new Message(actual);
    assertEquals(e.getSection(Section.QUESTION), a.getSection(Section.QUESTION), both);
    List<Record> ea = e.getSection(Section.ANSWER);
    List<Record> aa = a.getSection(Section.ANSWER);
    assertEquals(ea.size(), aa.size(), both);
    for (int i = 0; i < ea.size(); i++) {
      Record x = ea.get(i);
      Record y = aa.get(i);
      assertEquals(List.of(x.getName(), x.getType(), x.getDClass(), x.getTTL()),
          List.of(y.getName(), y.getType(), y.getDClass(), y.getTTL()), both);
      if (catalog.pool(y.getName()) == pool && y instanceof RRSIGRecord ys) {
        // Over another member set than the other path chose: all alike but the signature.
        RRSIGRecord xs = (RRSIGRecord) x;
        assertEquals(List.of(xs.getTypeCovered(), xs.getAlgorithm(), xs.getLabels(),
            xs.getOrigTTL(), xs.getExpire(), xs.getTimeSigned(), xs.getFootprint(),
            xs.getSigner(), xs.getSignature().length),
            List.of(ys.getTypeCovered(), ys.getAlgorithm(), ys.getLabels(), ys.getOrigTTL(),
            ys.getExpire(), ys.getTimeSigned(), ys.getFootprint(), ys.getSigner(),
            ys.getSignature().length), both);
      } else if (catalog.pool(y.getName()) == pool) {
        InetAddress address = y instanceof ARecord r ? r.getAddress()
            : ((AAAARecord) y).getAddress();
        assertTrue(pool.config().members().stream().anyMatch(m -> m.address().equals(address)),
            "not a member: " + address + "\n" + both);
      } else {
        assertEquals(x, y, both);
      }
    }
    assertEquals(e.getSection(Section.AUTHORITY), a.getSection(Section.AUTHORITY), both);
    assertEquals(e.getSection(Section.ADDITIONAL), a.getSection(Section.ADDITIONAL), both);
  }

  static String text(byte[] response) {
    try {
      return new Message(response).toString();
    } catch (IOException e) {
      return Arrays.toString(response);
    }
  }
}
