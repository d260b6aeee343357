package io.dnslb.pool;

import io.dnslb.config.Addresses;
import io.dnslb.health.HealthState;
import io.dnslb.health.HealthTable;
import io.dnslb.wire.ClientSubnet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A loaded pool answering queries: the config, records built once per (owner name, member), and
 * the current {@link Selection}. Member health lives in the {@link HealthTable}, which this pool
 * reads through the slot indexes it is given at load ({@link #bind}); when those states change
 * the table has the pool rebuild its selection off the query path, published with one volatile
 * write. {@link #answer} reads it once and never locks.
 */
public final class PoolRuntime implements Pool, HealthTable.Reader {
  private static final Logger log = LoggerFactory.getLogger(PoolRuntime.class);
  private static final PoolAnswer NODATA = new PoolAnswer(false, List.of(), 0);
  private static final PoolAnswer SERVFAIL = new PoolAnswer(true, List.of(), 0);

  private final PoolConfig config;
  private final Supplier<RandomGenerator> random;
  /** Per owner name, the record of each member by member index. */
  private final Map<Name, Record[]> records;
  private volatile Selection selection;
  /** The table and each member's slot in it, by member index; null until {@link #bind}. */
  private HealthTable table;
  private int[] slots;
  /** Answers given; replaced by the metrics' counter before the pool is published. */
  private LongAdder answered = new LongAdder();
  /** Times each member (by index) was in an answer; replaced by the metrics' counters. */
  private LongAdder[] memberAnswers;

  /**
   * @param random the random source of the querying thread; {@code ThreadLocalRandom::current}
   *     in the server, a seeded generator in tests
   */
  public PoolRuntime(PoolConfig config, Supplier<RandomGenerator> random) {
    this.config = config;
    this.random = random;
    this.records = buildRecords(config);
    this.selection = SelectionBuilder.build(config, m -> HealthState.UNKNOWN,
        new MemberOverride[config.members().size()]);
    this.memberAnswers = new LongAdder[config.members().size()];
    Arrays.setAll(memberAnswers, i -> new LongAdder());
  }

  private static Map<Name, Record[]> buildRecords(PoolConfig config) {
    long ttl = config.ttl().toSeconds();
    Map<Name, Record[]> byName = new HashMap<>();
    for (Name name : config.names()) {
      Record[] rs = new Record[config.members().size()];
      for (MemberConfig m : config.members()) {
        rs[m.index()] = m.isIpv6()
            ? new AAAARecord(name, DClass.IN, ttl, m.address())
            : new ARecord(name, DClass.IN, ttl, m.address());
      }
      byName.put(name, rs);
    }
    return byName;
  }

  @Override
  public String id() {
    return config.id();
  }

  public PoolConfig config() {
    return config;
  }

  /**
   * Takes each member's slot in the table (a member whose key the table knows keeps its state)
   * and builds the selection from those states. Called at load, before the pool is published;
   * the table calls {@link #healthChanged} from then on, once the pool is among its readers.
   */
  public synchronized void bind(HealthTable table) {
    int[] bound = new int[config.members().size()];
    for (MemberConfig m : config.members()) {
      bound[m.index()] = table.slot(m.key());
    }
    this.table = table;
    this.slots = bound;
    rebuild();
  }

  @Override
  public synchronized int[] slots() {
    return slots.clone();
  }

  /** The operator's override of a member, or null. */
  public MemberOverride override(int memberIndex) {
    return selection.overrides()[memberIndex];
  }

  /**
   * Replaces every member's override (members whose address is not in the map have none) and
   * publishes the new selection if anything changed. Off the query path; safe from any thread.
   *
   * @param byAddress overrides by the member's address as {@code Addresses.format} writes it
   */
  public synchronized void setOverrides(Map<String, MemberOverride> byAddress) {
    MemberOverride[] next = overridesFor(byAddress);
    if (!Arrays.equals(next, selection.overrides())) {
      selection = SelectionBuilder.build(config, this::health, next);
    }
  }

  /** Members that would serve with these overrides and the current health (see min-serving). */
  public synchronized int servingWith(Map<String, MemberOverride> byAddress) {
    return SelectionBuilder.serving(config, this::health, overridesFor(byAddress));
  }

  private MemberOverride[] overridesFor(Map<String, MemberOverride> byAddress) {
    MemberOverride[] next = new MemberOverride[config.members().size()];
    for (MemberConfig m : config.members()) {
      next[m.index()] = byAddress.get(Addresses.format(m.address()));
    }
    return next;
  }

  @Override
  public synchronized void healthChanged() {
    rebuild();
  }

  /**
   * Publishes a new selection, logging when failing open starts (WARN: every member is down and
   * the answers go to dead backends) and when it ends (INFO). Off the query path: only health
   * changes and loads get here.
   */
  private void rebuild() {
    boolean was = selection.failingOpen();
    Selection next = SelectionBuilder.build(config, this::health, selection.overrides());
    selection = next;
    if (next.failingOpen() && !was) {
      log.warn("pool {} failing open: every member is down, answering as if all were up",
          config.id());
    } else if (was && !next.failingOpen()) {
      log.info("pool {} no longer failing open: a member is up again", config.id());
    }
  }

  /** Whether the next answer can contain the member (up or failing open, not drained, its tier). */
  public boolean inRotation(int memberIndex) {
    return selection.inRotation(memberIndex);
  }

  /** Every eligible member of a family is down and the pool answers as if they were up. */
  public boolean failingOpen() {
    return selection.failingOpen();
  }

  /** A member's state in the health table (UNKNOWN before {@link #bind}). */
  public synchronized HealthState health(int memberIndex) {
    return table == null ? HealthState.UNKNOWN : table.state(slots[memberIndex]);
  }

  /**
   * The fast path's selection: writes chosen member indices to {@code out} and returns how many,
   * without allocating. {@code out.length} caps the count, as in {@link #answer}, so pass an
   * array of {@code config().answers()}. Returns -1 for NODATA or SERVFAIL, which are rare and
   * left to {@link #answer}.
   */
  public int select(int qtype, ClientSubnet client, int[] out) {
    Selection current = selection;
    Selection.Family family = qtype == Type.A ? current.ipv4()
        : qtype == Type.AAAA ? current.ipv6() : Selection.Family.NODATA;
    if (family.selector() == null) {
      return -1;
    }
    answered.increment();
    int count = family.selector().select(client, random.get(), out);
    LongAdder[] perMember = memberAnswers;
    for (int i = 0; i < count; i++) {
      perMember[out[i]].increment();
    }
    return count;
  }

  /**
   * Counts this pool's answers in the given counter from now on. Call before the pool is
   * published (the catalog's volatile write makes the field visible to the query threads).
   */
  public void countAnswersIn(LongAdder counter) {
    this.answered = counter;
  }

  /**
   * Counts each member's appearances in answers in the given counters (by member index) from
   * now on, so weights can be checked from outside. Same rule as {@link #countAnswersIn}.
   */
  public void countMemberAnswersIn(LongAdder[] byMemberIndex) {
    if (byMemberIndex.length != config.members().size()) {
      throw new IllegalArgumentException("one counter per member");
    }
    this.memberAnswers = byMemberIndex.clone();
  }

  /**
   * Answers A or AAAA for one of this pool's names; any other type is NODATA, as a pool name
   * holds only address data.
   */
  @Override
  public PoolAnswer answer(Name qname, int qtype, ClientSubnet client) {
    Record[] byMember = records.get(qname);
    if (byMember == null) {
      throw new IllegalArgumentException(qname + " is not a name of pool " + config.id());
    }
    Selection current = selection;
    Selection.Family family = qtype == Type.A ? current.ipv4()
        : qtype == Type.AAAA ? current.ipv6() : Selection.Family.NODATA;
    if (family.servfail()) {
      return SERVFAIL;
    }
    if (family.selector() == null) {
      return NODATA;
    }
    int[] chosen = new int[config.answers()];
    answered.increment();
    int count = family.selector().select(client, random.get(), chosen);
    Record[] answer = new Record[count];
    LongAdder[] perMember = memberAnswers;
    for (int i = 0; i < count; i++) {
      answer[i] = byMember[chosen[i]];
      perMember[chosen[i]].increment();
    }
    return new PoolAnswer(false, List.of(answer), family.selector().ecsScope(client));
  }
}
