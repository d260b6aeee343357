package io.dnslb.pool;

import io.dnslb.config.Addresses;
import io.dnslb.health.HealthState;
import io.dnslb.health.HealthTable;
import io.dnslb.pool.policy.PolicyExplanation;
import io.dnslb.wire.ClientSubnet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
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
 *
 * <p>Weights that move with time (slow start) or with what the backend reports (load) are
 * applied by {@link #refresh}, which the app calls on a short period: it rebuilds the selection
 * while a member ramps or a load factor moved, and with {@code ttl = auto} recomputes each
 * member's TTL, so the query path only reads precomputed arrays.
 */
public final class PoolRuntime implements Pool, HealthTable.Reader {
  private static final Logger log = LoggerFactory.getLogger(PoolRuntime.class);
  private static final PoolAnswer NODATA = new PoolAnswer(false, List.of(), 0);
  private static final PoolAnswer SERVFAIL = new PoolAnswer(true, List.of(), 0);

  private final PoolConfig config;
  private final Supplier<RandomGenerator> random;
  /** Per owner name, the record of each member by member index. */
  private final Map<Name, Record[]> records;
  private final LongSupplier clock;
  private volatile Selection selection;
  /** The table and each member's slot in it, by member index; null until {@link #bind}. */
  private HealthTable table;
  private int[] slots;
  /** Answers given; replaced by the metrics' counter before the pool is published. */
  private LongAdder answered = new LongAdder();
  /** By member index: answers it came first in (the address most clients use). */
  private final LongAdder[] first;
  /** By member index, guarded by this: when its slow start began (clock millis), -1: none. */
  private final long[] rampStart;
  /** By member index, guarded by this: the weight factor from its reported load. */
  private final double[] loadFactor;
  /** By member index, with {@code ttl = auto}: the TTL of answers it is in; else null. */
  private volatile long[] ttls;
  /** By member index: the earliest time its state could change, as last refreshed; for explain. */
  private volatile long[] changeAt;
  /** Times each member (by index) was in an answer; replaced by the metrics' counters. */
  private LongAdder[] memberAnswers;

  /**
   * @param random the random source of the querying thread; {@code ThreadLocalRandom::current}
   *     in the server, a seeded generator in tests
   */
  public PoolRuntime(PoolConfig config, Supplier<RandomGenerator> random) {
    this(config, random, System::currentTimeMillis);
  }

  /** @param clock wall-clock millis, for slow start; tests drive it */
  public PoolRuntime(PoolConfig config, Supplier<RandomGenerator> random, LongSupplier clock) {
    this.config = config;
    this.random = random;
    this.clock = clock;
    this.records = buildRecords(config);
    int n = config.members().size();
    this.first = new LongAdder[n];
    Arrays.setAll(first, i -> new LongAdder());
    this.rampStart = new long[n];
    Arrays.fill(rampStart, -1);
    this.loadFactor = new double[n];
    Arrays.fill(loadFactor, 1.0);
    this.selection = SelectionBuilder.build(config, m -> HealthState.UNKNOWN,
        new MemberOverride[n], shares(clock.getAsLong()));
    this.memberAnswers = new LongAdder[n];
    Arrays.setAll(memberAnswers, i -> new LongAdder());
  }

  /** Slow start's share of the weight at {@code now}: 10% at the start, linear to 100%. */
  static double ramp(long start, long now, long windowMillis) {
    if (start < 0 || windowMillis <= 0 || now - start >= windowMillis) {
      return 1.0;
    }
    double elapsed = Math.max(0, now - start);
    return PoolDefaults.SLOW_START_FROM + (1 - PoolDefaults.SLOW_START_FROM) * elapsed / windowMillis;
  }

  /** Each member's share now (ramp × load); ends ramps that are over. Caller holds the lock. */
  private double[] shares(long now) {
    long window = config.slowStart().toMillis();
    double[] shares = new double[rampStart.length];
    for (int i = 0; i < shares.length; i++) {
      double r = ramp(rampStart[i], now, window);
      if (r == 1.0) {
        rampStart[i] = -1;
      }
      shares[i] = r * loadFactor[i];
    }
    return shares;
  }

  /**
   * Rebuilds from the table's states. A member that went from down to up starts its slow start
   * here: the pool sees every change of its members' states, batched or not. Caller holds the lock.
   */
  private void rebuild() {
    rebuild(selection.overrides());
  }

  /**
   * As {@link #rebuild()} with these overrides. A member an override returns to rotation (from
   * admin down or drain) starts its slow start too, as after a maintenance window.
   */
  private void rebuild(MemberOverride[] overrides) {
    long now = clock.getAsLong();
    HealthState[] before = selection.health();
    MemberOverride[] was0 = selection.overrides();
    for (int i = 0; i < before.length; i++) {
      if (before[i] == HealthState.DOWN && health(i) == HealthState.UP) {
        rampStart[i] = now;
      }
      MemberConfig m = config.members().get(i);
      if (out(MemberOverride.admin(m, was0[i])) && !out(MemberOverride.admin(m, overrides[i]))) {
        rampStart[i] = now;
      }
    }
    boolean was = selection.failingOpen();
    Selection next = SelectionBuilder.build(config, this::health, overrides, shares(now));
    selection = next;
    // Off the query path: only health changes, loads and ramps get here.
    if (next.failingOpen() && !was) {
      log.warn("pool {} failing open: every member is down, answering as if all were up",
          config.id());
    } else if (was && !next.failingOpen()) {
      log.info("pool {} no longer failing open: a member is up again", config.id());
    }
  }

  private static boolean out(Admin admin) {
    return admin == Admin.DOWN || admin == Admin.DRAIN;
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
  public void bind(HealthTable table) {
    bind(table, false);
  }

  /**
   * As {@link #bind(HealthTable)}; with {@code slowStartNew} (a reload), members whose key the
   * table did not know (added by this reload) begin a slow start.
   */
  public synchronized void bind(HealthTable table, boolean slowStartNew) {
    int[] bound = new int[config.members().size()];
    long now = clock.getAsLong();
    for (MemberConfig m : config.members()) {
      if (slowStartNew && table.find(m.key()) < 0) {
        rampStart[m.index()] = now;
      }
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
      rebuild(next);
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
   * Applies what changes with time or with the backends' reports; the app calls it every
   * {@code validForMillis} or so, off the query path. Rebuilds the selection while a member
   * ramps up or when a load factor moved by more than 2% (smaller moves are noise, and each
   * rebuild restarts round-robin's rotation); with {@code ttl = auto}, recomputes the TTLs.
   *
   * @param loadFactors by member index, the weight factor from its reported load (1: none)
   * @param changeAt by member index, the earliest clock millis its state could change
   *     (Long.MAX_VALUE: never, it is not probed)
   * @param validForMillis how long these TTLs are used before the next refresh: subtracted, so
   *     an answer never outlives the state it was built from
   */
  public synchronized void refresh(long now, double[] loadFactors, long[] changeAt,
      long validForMillis) {
    boolean dirty = false;
    for (int i = 0; i < loadFactor.length; i++) {
      dirty |= rampStart[i] >= 0;
      double f = loadFactors[i];
      if (Math.abs(f - loadFactor[i]) > 0.02 || (f == 1.0) != (loadFactor[i] == 1.0)) {
        loadFactor[i] = f;
        dirty = true;
      }
    }
    if (dirty) {
      rebuild();
    }
    this.changeAt = changeAt.clone();
    if (config.ttlAuto()) {
      long min = config.ttlMin().toSeconds();
      long max = config.ttl().toSeconds();
      long[] next = new long[changeAt.length];
      for (int i = 0; i < next.length; i++) {
        long left = changeAt[i] == Long.MAX_VALUE ? Long.MAX_VALUE
            : Math.max(0, changeAt[i] - now - validForMillis) / 1000;
        next[i] = Math.max(min, Math.min(max, left));
      }
      ttls = next;
    }
  }

  /**
   * The TTL of an answer with these members: the lowest of theirs with {@code ttl = auto}
   * (an RRset has one TTL), -1 when the pool's TTL is fixed (the records carry it). No
   * allocation: the fast path calls it per answer.
   */
  public long ttl(int[] chosen, int count) {
    long[] t = ttls;
    if (t == null) {
      return -1;
    }
    long min = Long.MAX_VALUE;
    for (int i = 0; i < count; i++) {
      min = Math.min(min, t[chosen[i]]);
    }
    return min;
  }

  /** How often each member came first in an answer, by member index, since load. */
  public long[] firstCounts() {
    long[] out = new long[first.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = first[i].sum();
    }
    return out;
  }

  /** Each member's share of its weight now (ramp × load), by member index. */
  public double[] shares() {
    return selection.shares().clone();
  }

  /** Each member's slow-start fraction at {@code now}, by member index (1: not ramping). */
  public synchronized double[] ramps(long now) {
    double[] out = new double[rampStart.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = ramp(rampStart[i], now, config.slowStart().toMillis());
    }
    return out;
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
    first[out[0]].increment();
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
    first[chosen[0]].increment();
    long ttl = ttl(chosen, count);
    Record[] answer = new Record[count];
    LongAdder[] perMember = memberAnswers;
    for (int i = 0; i < count; i++) {
      Record r = byMember[chosen[i]];
      answer[i] = ttl < 0 ? r : r instanceof ARecord a ? new ARecord(qname, DClass.IN, ttl, a.getAddress())
          : new AAAARecord(qname, DClass.IN, ttl, ((AAAARecord) r).getAddress());
      perMember[chosen[i]].increment();
    }
    return new PoolAnswer(false, List.of(answer), family.selector().ecsScope(client));
  }

  /**
   * What {@link #answer} would do for this client now, and why, without answering (round-robin
   * does not rotate). Off the query path.
   */
  public PoolExplanation explain(int qtype, ClientSubnet client) {
    Selection current = selection;
    long now = clock.getAsLong();
    boolean ipv6 = qtype == Type.AAAA;
    Selection.Family family = ipv6 ? current.ipv6() : current.ipv4();
    double[] ramps = ramps(now);
    double[] loads = loadFactors();
    PolicyExplanation policy = family.selector() == null ? null
        : family.selector().explain(client, config.answers());
    Map<Integer, PolicyExplanation.Ranked> ranked = new HashMap<>();
    Map<Integer, Integer> rank = new HashMap<>();
    if (policy != null) {
      for (PolicyExplanation.Ranked r : policy.ranking()) {
        rank.put(r.member(), rank.size());
        ranked.put(r.member(), r);
      }
    }
    long[] t = ttls;
    long[] changes = changeAt;
    MemberOverride[] overrides = current.overrides();
    List<MemberConfig> serving = new ArrayList<>();
    for (MemberConfig file : config.members()) {
      serving.add(SelectionBuilder.effective(file, overrides[file.index()]));
    }
    boolean anyWeighted = false;
    for (MemberConfig m : serving) {
      anyWeighted |= m.isIpv6() == ipv6 && m.weight() > 0 && m.admin() != Admin.DOWN
          && m.admin() != Admin.DRAIN && (m.admin() == Admin.UP
              || current.health()[m.index()] != HealthState.DOWN || family.failingOpen());
    }
    List<PoolExplanation.Member> members = new ArrayList<>();
    for (MemberConfig m : serving) {
      int i = m.index();
      MemberOverride o = overrides[i];
      PolicyExplanation.Ranked r = ranked.get(i);
      String why;
      if (m.isIpv6() != ipv6) {
        why = "other address family";
      } else if (r != null) {
        why = r.why();
        if (ramps[i] < 1.0) {
          why += String.format(Locale.ROOT, "; ramping up %.0f%% (slow start, %d s of %d s)",
              ramps[i] * 100, (now - rampStartOf(i)) / 1000, config.slowStart().toSeconds());
        }
        if (loads[i] < 1.0) {
          why += String.format(Locale.ROOT, "; reported load scales its weight to %.0f%%",
              loads[i] * 100);
        }
        if (o != null) {
          why += "; " + (o.admin() != null ? "admin " + o.admin().name().toLowerCase(Locale.ROOT)
              + (o.weight() != MemberOverride.KEEP_WEIGHT ? ", " : "") : "")
              + (o.weight() != MemberOverride.KEEP_WEIGHT ? "weight " + o.weight() : "")
              + " " + SelectionBuilder.overrideText(o);
        }
      } else if (policy != null && policy.excluded().containsKey(i)) {
        why = policy.excluded().get(i);
      } else {
        String out = SelectionBuilder.leftOut(m, o, current.health(), family.failingOpen(),
            anyWeighted);
        why = family.servfail() && out == null ? "down (every member is down: SERVFAIL)"
            : out == null ? "not a candidate" : out;
      }
      long memberTtl = t != null ? t[i] : config.ttl().toSeconds();
      members.add(new PoolExplanation.Member(i, Addresses.format(m.address()),
          current.health()[i].name().toLowerCase(Locale.ROOT),
          m.admin().name().toLowerCase(Locale.ROOT), m.weight(), m.priority(),
          ramps[i] * loads[i], ramps[i], loads[i], r != null,
          r == null ? 0 : r.probability(), memberTtl, why));
    }
    if (family.servfail()) {
      return new PoolExplanation("SERVFAIL", "", true, false, members, List.of(), 0, 0,
          "every member is down and the pool says when-all-down = servfail");
    }
    if (policy == null) {
      return new PoolExplanation("NODATA", "", true, false, members, List.of(), 0, 0,
          "the pool has no " + (ipv6 ? "IPv6" : "IPv4") + " member to answer with");
    }
    int n = Math.min(config.answers(), policy.ranking().size());
    List<String> answer = new ArrayList<>();
    long ttl = Long.MAX_VALUE;
    int limiting = -1;
    List<PolicyExplanation.Ranked> candidates = policy.ranking();
    for (int j = 0; j < candidates.size(); j++) {
      int i = candidates.get(j).member();
      if (j < n) {
        answer.add(Addresses.format(config.members().get(i).address()));
      }
      // a drawn answer may hold any candidate: its TTL can be as low as the lowest of theirs
      long mt = t != null ? t[i] : config.ttl().toSeconds();
      if ((j < n || !policy.deterministic()) && mt < ttl) {
        ttl = mt;
        limiting = i;
      }
    }
    String ttlReason;
    if (t == null) {
      ttlReason = "the pool's fixed ttl " + config.ttl().toSeconds() + "s";
    } else {
      long at = changes == null ? Long.MAX_VALUE : changes[limiting];
      ttlReason = "ttl = auto: " + (at == Long.MAX_VALUE
          ? "no member in the answer is probed, so ttl-max"
          : Addresses.format(config.members().get(limiting).address()) + " could change state in "
              + Math.max(0, at - now) / 1000.0 + " s")
          + ", clamped to [" + config.ttlMin().toSeconds() + ", " + config.ttl().toSeconds() + "] s"
          + (policy.deterministic() ? "" : " (the lowest TTL any drawn answer can carry)");
    }
    return new PoolExplanation("answer", policy.rule(), policy.deterministic(),
        family.failingOpen(), members, answer, family.selector().ecsScope(client), ttl, ttlReason);
  }

  private synchronized double[] loadFactors() {
    return loadFactor.clone();
  }

  private synchronized long rampStartOf(int i) {
    return rampStart[i];
  }
}
