package io.dnslb.pool;

import io.dnslb.config.Addresses;
import io.dnslb.health.HealthState;
import io.dnslb.health.HealthTable;
import io.dnslb.pool.policy.PolicyExplanation;
import io.dnslb.pool.policy.Selector;
import io.dnslb.wire.ClientSubnet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * <p>Pools of pools: a member may be another pool, whose answer (its own policy, TTL and answer
 * count) becomes this pool's when the member is chosen. Every address a pool can answer with,
 * its own and its descendants', has one place in a flat {@link #leaves() layout} (own members at
 * their index, each child's layout after them at its offset), so both query paths index
 * pre-built records without knowing the nesting. A child that publishes a new selection has
 * its parents rebuild theirs; pools form no cycles, so that ends.
 *
 * <p>Weights that move with time (slow start) or with what the backend reports (load) are
 * applied by {@link #refresh}, which the app calls on a short period: it rebuilds the selection
 * while a member ramps or a load factor moved, and with {@code ttl = auto} recomputes each
 * member's TTL, so the query path only reads precomputed arrays. An answer that comes from a
 * child pool carries the child's TTL ({@link #ttl} follows the flat index into the child).
 */
public final class PoolRuntime implements Pool, HealthTable.Reader {
  private static final Logger log = LoggerFactory.getLogger(PoolRuntime.class);
  private static final PoolAnswer NODATA = new PoolAnswer(false, List.of(), 0);

  /**
   * One address in the flat layout.
   *
   * @param ttl its record's TTL: that of the pool it belongs to
   */
  public record Leaf(MemberConfig member, long ttl) {}

  /** Marks a pool member's own slot in {@link #leaves()}: it has no address of its own. */
  private static final Leaf NO_LEAF = new Leaf(null, 0);

  private final PoolConfig config;
  private final Supplier<RandomGenerator> random;
  /** By member index: the child pool of a pool member, else null. */
  private final PoolRuntime[] children;
  /** By member index: where the member's addresses start in the flat layout. */
  private final int[] offsets;
  private final boolean hasChildren;
  private final List<Leaf> leaves;
  /**
   * By flat index: the pool whose own member the address is (this one or a descendant), and
   * where that pool's layout starts in this one's; so an answer's TTL is found without a scan.
   */
  private final PoolRuntime[] owner;
  private final int[] ownerBase;
  /** Whether any address this pool (or a descendant) can answer with is IPv4 / IPv6. */
  private final boolean hasIpv4;
  private final boolean hasIpv6;
  /** Per owner name, the record of each flat layout slot (null for a pool member's own slot). */
  private final Map<Name, Record[]> records;
  private final int maxAnswers;
  private final boolean usesClient;
  private final List<PoolRuntime> parents = new CopyOnWriteArrayList<>();
  private final LongSupplier clock;
  private volatile Selection selection;
  /** The table and each address member's slot in it, by member index (-1 for a pool member). */
  private HealthTable table;
  private int[] slots;
  /** Answers given; replaced by the metrics' counter before the pool is published. */
  private LongAdder answered = new LongAdder();
  /** By member index: answers it came first in (the address most clients use). */
  private final LongAdder[] first;
  /** By member index, guarded by this: when its slow start began (clock millis), -1: none. */
  private final long[] rampStart;
  /**
   * Whether some member's slow start is running: set with the shares ({@link #shares}), read
   * without the lock by the refresher, which leaves alone a pool where nothing moves with time.
   */
  private volatile boolean ramping;
  /** By member index, guarded by this: the weight factor from its reported load. */
  private final double[] loadFactor;
  /**
   * By member index, with {@code ttl = auto}: the TTL of answers it is in; else null. Replaced,
   * never written in place: the query threads read it without a lock.
   */
  private volatile long[] ttls;
  /**
   * By member index, guarded by this, with {@code ttl = auto} (else null): the TTLs a refresh
   * computes, published as a copy only when they differ from {@link #ttls}.
   */
  private final long[] nextTtls;
  /**
   * By member index, guarded by this, with {@code ttl = auto}: the earliest time its state could
   * change, as last refreshed; for explain. Written in place, so a refresh allocates nothing.
   */
  private final long[] changeAt;
  /** The validForMillis of the last refresh: subtracted from every auto TTL; for explain. */
  private volatile long ttlAllowanceMillis;
  /** Times each member (by index) was in an answer; replaced by the metrics' counters. */
  private LongAdder[] memberAnswers;

  /** A pool of address members only. */
  public PoolRuntime(PoolConfig config, Supplier<RandomGenerator> random) {
    this(config, random, Map.of(), io.dnslb.time.Ticker.SYSTEM::wallMillis);
  }

  /** A pool of address members only; @param clock wall-clock millis, for slow start */
  public PoolRuntime(PoolConfig config, Supplier<RandomGenerator> random, LongSupplier clock) {
    this(config, random, Map.of(), clock);
  }

  /** As {@link #PoolRuntime(PoolConfig, Supplier, Map, LongSupplier)} on the wall clock. */
  public PoolRuntime(PoolConfig config, Supplier<RandomGenerator> random,
      Map<String, PoolRuntime> built) {
    this(config, random, built, io.dnslb.time.Ticker.SYSTEM::wallMillis);
  }

  /**
   * @param random the random source of the querying thread; {@code ThreadLocalRandom::current}
   *     in the server, a seeded generator in tests
   * @param built the runtimes already built, by id: every child this pool lists (build order
   *     is {@link PoolGraph#order}); this pool registers with them as their parent
   * @param clock wall-clock millis, for slow start; tests drive it
   */
  public PoolRuntime(PoolConfig config, Supplier<RandomGenerator> random,
      Map<String, PoolRuntime> built, LongSupplier clock) {
    this.config = config;
    this.random = random;
    this.clock = clock;
    int n = config.members().size();
    this.children = new PoolRuntime[n];
    this.offsets = new int[n];
    List<Leaf> flat = new ArrayList<>();
    long ttl = config.ttl().toSeconds();
    int answers = config.answers();
    boolean client = config.policy().usesClient();
    for (MemberConfig m : config.members()) {
      offsets[m.index()] = m.index();
      flat.add(m.isPool() ? NO_LEAF : new Leaf(m, ttl));
    }
    for (MemberConfig m : config.members()) {
      if (m.isPool()) {
        PoolRuntime child = built.get(m.pool());
        if (child == null) {
          throw new IllegalArgumentException("pool " + m.pool() + " is not built yet");
        }
        children[m.index()] = child;
        offsets[m.index()] = flat.size();
        flat.addAll(child.leaves);
        answers = Math.max(answers, child.maxAnswers);
        client |= child.usesClient;
      }
    }
    this.hasChildren = Arrays.stream(children).anyMatch(c -> c != null);
    this.leaves = List.copyOf(flat);
    this.owner = new PoolRuntime[flat.size()];
    this.ownerBase = new int[flat.size()];
    Arrays.fill(owner, 0, n, this);
    for (int k = 0; k < n; k++) {
      PoolRuntime child = children[k];
      if (child != null) {
        for (int j = 0; j < child.owner.length; j++) {
          owner[offsets[k] + j] = child.owner[j];
          ownerBase[offsets[k] + j] = offsets[k] + child.ownerBase[j];
        }
      }
    }
    this.hasIpv4 = flat.stream().anyMatch(l -> l.member() != null
        && l.member().address() != null && l.member().address().getAddress().length == 4);
    this.hasIpv6 = flat.stream().anyMatch(l -> l.member() != null
        && l.member().address() != null && l.member().address().getAddress().length == 16);
    this.maxAnswers = answers;
    this.usesClient = client;
    this.records = buildRecords(config, flat);
    this.first = new LongAdder[n];
    Arrays.setAll(first, i -> new LongAdder());
    this.rampStart = new long[n];
    Arrays.fill(rampStart, -1);
    this.loadFactor = new double[n];
    Arrays.fill(loadFactor, 1.0);
    this.changeAt = new long[n];
    Arrays.fill(changeAt, Long.MAX_VALUE);
    this.nextTtls = config.ttlAuto() ? new long[n] : null;
    this.selection = SelectionBuilder.build(config, this::initialHealth,
        new MemberOverride[n], shares(clock.getAsLong()), children);
    this.memberAnswers = new LongAdder[n];
    Arrays.setAll(memberAnswers, k -> new LongAdder());
    for (PoolRuntime child : children) {
      if (child != null && !child.parents.contains(this)) {
        child.parents.add(this);
      }
    }
  }

  private HealthState initialHealth(int memberIndex) {
    return children[memberIndex] == null ? HealthState.UNKNOWN : childHealth(children[memberIndex]);
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
    boolean any = false;
    for (int i = 0; i < shares.length; i++) {
      double r = ramp(rampStart[i], now, window);
      if (r == 1.0) {
        rampStart[i] = -1;
      } else {
        any = true;
      }
      shares[i] = r * loadFactor[i];
    }
    ramping = any;
    return shares;
  }

  private static Map<Name, Record[]> buildRecords(PoolConfig config, List<Leaf> flat) {
    Map<Name, Record[]> byName = new HashMap<>();
    for (Name name : config.names()) {
      Record[] rs = new Record[flat.size()];
      for (int i = 0; i < rs.length; i++) {
        Leaf l = flat.get(i);
        if (l.member() != null) {
          rs[i] = l.member().isIpv6()
              ? new AAAARecord(name, DClass.IN, l.ttl(), l.member().address())
              : new ARecord(name, DClass.IN, l.ttl(), l.member().address());
        }
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
   * Every address this pool can answer with, by flat index (the indices {@link #select} writes);
   * a pool member's own slot has a null member.
   */
  public List<Leaf> leaves() {
    return leaves;
  }

  /**
   * The types this pool answers at its names, whatever the health: A and/or AAAA after the
   * families of its own and its descendants' addresses (for a NODATA proof's type bitmap).
   */
  public boolean answers(int type) {
    return type == Type.A ? hasIpv4 : type == Type.AAAA && hasIpv6;
  }

  /** The most records one answer can carry, this pool's or any descendant's answer count. */
  public int maxAnswers() {
    return maxAnswers;
  }

  /** True when this pool or a pool it contains chooses by client; see Policy#usesClient. */
  public boolean usesClient() {
    return usesClient;
  }

  /** The child pool of a pool member, else null. */
  public PoolRuntime child(int memberIndex) {
    return children[memberIndex];
  }

  /**
   * Takes each address member's slot in the table (a member whose key the table knows keeps its
   * state) and builds the selection from those states. Called at load, before the pool is
   * published; the table calls {@link #healthChanged} from then on, once the pool is among its
   * readers. Pool members have no slot: their state is their child pool's, which tells its
   * parents when it changes.
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
      if (m.isPool()) {
        bound[m.index()] = -1;
        continue;
      }
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
    return Arrays.stream(slots).filter(s -> s >= 0).toArray();
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
      next[m.index()] = byAddress.get(m.label()); // the address, or pool:ID
    }
    return next;
  }

  @Override
  public synchronized void healthChanged() {
    rebuild();
  }

  /**
   * Rebuilds from the table's states (and the child pools' selections), logging when failing
   * open starts (WARN: every member is down and the answers go to dead backends) and when it
   * ends (INFO), then has the pools that list this one rebuild theirs (a pool member's state is
   * this pool's). A member that went from down to up starts its slow start here: the pool sees
   * every change of its members' states, batched or not. Off the query path: only health
   * changes, loads and ramps get here. Called holding this pool's lock; parents lock after
   * children, and there are no cycles.
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
    Selection next = SelectionBuilder.build(config, this::health, overrides, shares(now),
        children);
    selection = next;
    if (next.failingOpen() && !was) {
      log.warn("pool {} failing open: every member is down, answering as if all were up",
          config.id());
    } else if (was && !next.failingOpen()) {
      log.info("pool {} no longer failing open: a member is up again", config.id());
    }
    for (PoolRuntime parent : parents) {
      parent.healthChanged();
    }
  }

  private static boolean out(Admin admin) {
    return admin == Admin.DOWN || admin == Admin.DRAIN;
  }

  /** Whether the next answer can contain the member (up or failing open, not drained, its tier). */
  public boolean inRotation(int memberIndex) {
    return selection.inRotation(memberIndex);
  }

  /** Every eligible member of a family is down and the pool answers as if they were up. */
  public boolean failingOpen() {
    return selection.failingOpen();
  }

  private HealthState addressHealth(int memberIndex) {
    return table == null ? HealthState.UNKNOWN : table.state(slots[memberIndex]);
  }

  /**
   * A member's state: an address member's in the health table (UNKNOWN before {@link #bind}); a
   * pool member is UP while its child pool serves, for some family, at least its
   * {@code min-healthy} members.
   */
  public synchronized HealthState health(int memberIndex) {
    PoolRuntime child = children[memberIndex];
    return child == null ? addressHealth(memberIndex) : childHealth(child);
  }

  private static HealthState childHealth(PoolRuntime child) {
    return child.servesEnough(false) || child.servesEnough(true)
        ? HealthState.UP : HealthState.DOWN;
  }

  private boolean servesEnough(boolean ipv6) {
    Selection.Family f = family(ipv6);
    return f.eligible() > 0 && f.serving() >= config.minHealthy().required(f.eligible());
  }

  Selection.Family family(boolean ipv6) {
    Selection current = selection;
    return ipv6 ? current.ipv6() : current.ipv4();
  }

  /** The current selector for A ({@code ipv6 = false}) or AAAA answers; null when none. */
  public Selector selector(boolean ipv6) {
    return family(ipv6).selector();
  }

  /**
   * Applies what changes with time or with the backends' reports; the app calls it often
   * enough that these TTLs are replaced within {@code validForMillis}, off the query path.
   * Rebuilds the selection while a member ramps up or when a load factor moved by more than 2%
   * (smaller moves are noise, and each rebuild restarts round-robin's rotation); with
   * {@code ttl = auto}, recomputes the TTLs and publishes them when one moved. Allocates nothing
   * when nothing changed: it runs for every pool twice a second, on a thread that may share the
   * DNS core.
   * Child pools are refreshed on their own (every pool is in the catalog); a pool member's
   * entries here are only its own ramp.
   *
   * @param loadFactors by member index, the weight factor from its reported load (1: none)
   * @param changeAt by member index, the earliest clock millis its state could change
   *     (Long.MAX_VALUE: never, it is not probed); read only with {@code ttl = auto}, and not
   *     kept (copied)
   * @param validForMillis how long these TTLs may be used before the next refresh replaces them:
   *     subtracted before rounding down to whole seconds, so an answer cached for its TTL does
   *     not outlive the state it was built from (a resolver's whole-second clock may add 1 s)
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
    this.ttlAllowanceMillis = validForMillis;
    if (config.ttlAuto()) {
      System.arraycopy(changeAt, 0, this.changeAt, 0, changeAt.length);
      long min = config.ttlMin().toSeconds();
      long max = config.ttl().toSeconds();
      for (int i = 0; i < changeAt.length; i++) {
        long left = changeAt[i] == Long.MAX_VALUE ? Long.MAX_VALUE
            : Math.max(0, changeAt[i] - now - validForMillis) / 1000;
        nextTtls[i] = Math.max(min, Math.min(max, left));
      }
      if (!Arrays.equals(nextTtls, ttls)) {
        ttls = nextTtls.clone(); // a new array: the query threads may be reading the old one
      }
    }
  }

  /**
   * The TTL of an answer with these flat indices (as {@link #select} writes them): with
   * {@code ttl = auto} in the pool that answered (this one or the child pool the answer came
   * from), the lowest of the chosen members' (an RRset has one TTL); -1 when that pool's TTL
   * is fixed (the records carry it). No allocation: the fast path calls it per answer.
   */
  public long ttl(int[] chosen, int count) {
    if (count <= 0) {
      return -1;
    }
    // one pool answered (an answer led by a child is all the child's): its TTLs, its indices
    int base = ownerBase[chosen[0]];
    long[] t = owner[chosen[0]].ttls;
    if (t == null) {
      return -1;
    }
    long min = Long.MAX_VALUE;
    for (int i = 0; i < count; i++) {
      min = Math.min(min, t[chosen[i] - base]);
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

  /**
   * Whether a member's slow start is running, so {@link #refresh} would move its weight even
   * with the same inputs; without the lock.
   */
  public boolean ramping() {
    return ramping;
  }

  /** Each member's slow-start fraction at {@code now}, by member index (1: not ramping). */
  public synchronized double[] ramps(long now) {
    double[] out = new double[rampStart.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = ramp(rampStart[i], now, config.slowStart().toMillis());
    }
    return out;
  }

  /** {@link #choose} found the family has no member (NODATA) / serves nothing (SERVFAIL). */
  private static final int CHOSE_NODATA = -1;
  private static final int CHOSE_SERVFAIL = -2;

  /**
   * The fast path's selection: writes chosen flat indices (see {@link #leaves()}) to
   * {@code out} and returns how many, without allocating. Pass an array of
   * {@link #maxAnswers()}. Returns -1 for NODATA or SERVFAIL, which are rare and left to
   * {@link #answer}.
   */
  public int select(int qtype, ClientSubnet client, int[] out) {
    int count = choose(qtype, client, out, null);
    return count > 0 ? count : -1;
  }

  /**
   * The one selection both paths use: writes chosen flat indices to {@code out} and counts the
   * answer, or returns {@link #CHOSE_NODATA} / {@link #CHOSE_SERVFAIL}. An answer led by a pool
   * member is that child pool's whole answer.
   *
   * @param scope null (the fast path: no ECS), else {@code scope[0]} is raised to the answer's
   *     ECS scope, from the selection that decided it at each level
   */
  private int choose(int qtype, ClientSubnet client, int[] out, int[] scope) {
    Selection current = selection;
    Selection.Family family = qtype == Type.A ? current.ipv4()
        : qtype == Type.AAAA ? current.ipv6() : Selection.Family.NODATA;
    if (family.servfail()) {
      return CHOSE_SERVFAIL;
    }
    Selector selector = family.selector();
    if (selector == null) {
      return CHOSE_NODATA;
    }
    int count;
    if (scope == null) {
      count = selector.select(client, random.get(), out, config.answers());
    } else {
      long scoped = selector.selectScoped(client, random.get(), out, config.answers());
      count = Selector.count(scoped);
      scope[0] = Math.max(scope[0], Selector.scope(scoped));
    }
    if (count <= 0) {
      return CHOSE_SERVFAIL;
    }
    if (hasChildren) {
      int lead = out[0];
      PoolRuntime child = children[lead];
      if (child != null) {
        int base = offsets[lead];
        count = child.choose(qtype, client, out, scope);
        if (count <= 0) {
          return count;
        }
        for (int i = 0; i < count; i++) {
          out[i] += base;
        }
        memberAnswers[lead].increment();
        first[lead].increment();
        answered.increment();
        return count;
      }
      count = dropPoolMembers(out, count);
    }
    answered.increment();
    first[out[0]].increment();
    LongAdder[] perMember = memberAnswers;
    for (int i = 0; i < count; i++) {
      perMember[out[i]].increment();
    }
    return count;
  }

  /** An answer led by an address member carries only addresses, not other pools' answers. */
  private int dropPoolMembers(int[] out, int count) {
    int kept = 0;
    for (int i = 0; i < count; i++) {
      if (children[out[i]] == null) {
        out[kept++] = out[i];
      }
    }
    return kept;
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
    Record[] flat = records.get(qname);
    if (flat == null) {
      throw new IllegalArgumentException(qname + " is not a name of pool " + config.id());
    }
    int[] scope = new int[1];
    int[] chosen = new int[maxAnswers];
    int count = choose(qtype, client, chosen, scope);
    if (count == CHOSE_NODATA) {
      return scope[0] == 0 ? NODATA : new PoolAnswer(false, List.of(), scope[0]);
    }
    if (count == CHOSE_SERVFAIL) {
      return new PoolAnswer(true, List.of(), scope[0]);
    }
    long ttl = ttl(chosen, count); // with ttl = auto, of the pool that answered
    Record[] answer = new Record[count];
    for (int i = 0; i < count; i++) {
      Record r = flat[chosen[i]];
      answer[i] = ttl < 0 ? r
          : r instanceof ARecord a ? new ARecord(r.getName(), DClass.IN, ttl, a.getAddress())
          : new AAAARecord(r.getName(), DClass.IN, ttl, ((AAAARecord) r).getAddress());
    }
    // the pre-built records carry the configured TTL of the pool that answered; with
    // ttl = auto the answer a lower one
    return new PoolAnswer(false, List.of(answer), scope[0], flat[chosen[0]].getTTL());
  }

  /**
   * What {@link #answer} would do for this client now, and why, without answering (round-robin
   * does not rotate). Off the query path. A pool member is explained at this level (its child's
   * serving count against {@code min-healthy}, its admin state and weight); when the answer
   * comes from a child pool, the child's own explanation is nested in {@link PoolExplanation#via}
   * and the answer, TTL and its reason are the child's.
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
    if (policy != null) {
      for (PolicyExplanation.Ranked r : policy.ranking()) {
        ranked.put(r.member(), r);
      }
    }
    PoolRuntime leadChild = policy == null || policy.ranking().isEmpty() ? null
        : children[policy.ranking().get(0).member()];
    PoolExplanation via = leadChild == null ? null : leadChild.explain(qtype, client);
    long[] t = ttls;
    MemberOverride[] overrides = current.overrides();
    List<MemberConfig> serving = new ArrayList<>();
    for (MemberConfig file : config.members()) {
      serving.add(SelectionBuilder.effective(file, overrides[file.index()]));
    }
    boolean anyWeighted = false;
    for (MemberConfig m : serving) {
      anyWeighted |= inFamily(m, ipv6) && m.weight() > 0 && m.admin() != Admin.DOWN
          && m.admin() != Admin.DRAIN && (m.admin() == Admin.UP
              || current.health()[m.index()] != HealthState.DOWN || family.failingOpen());
    }
    List<PoolExplanation.Member> members = new ArrayList<>();
    for (MemberConfig m : serving) {
      int i = m.index();
      PoolRuntime child = children[i];
      MemberOverride o = overrides[i];
      PolicyExplanation.Ranked r = ranked.get(i);
      String why;
      if (!inFamily(m, ipv6)) {
        why = child == null ? "other address family"
            : "pool " + m.pool() + " has no " + (ipv6 ? "IPv6" : "IPv4") + " member";
      } else if (r != null) {
        why = r.why();
        if (child != null) {
          why += "; " + servingSummary(child, ipv6);
        }
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
        why = policy.excluded().get(i) + (child == null ? "" : "; " + servingSummary(child, ipv6));
      } else {
        String out = SelectionBuilder.leftOut(m, o, current.health(), family.failingOpen(),
            anyWeighted);
        why = family.servfail() && out == null ? "down (every member is down: SERVFAIL)"
            : out == null ? "not a candidate" : out;
        if (child != null && out != null && out.startsWith("down")) {
          why += " (" + servingSummary(child, ipv6) + ")";
        }
      }
      long memberTtl = child != null
          ? (child == leadChild ? via.ttl() : child.config().ttl().toSeconds())
          : t != null ? t[i] : config.ttl().toSeconds();
      members.add(new PoolExplanation.Member(i,
          child != null ? "pool " + m.pool() : Addresses.format(m.address()),
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
    int scope = family.selector().ecsScope(client);
    if (policy.ranking().isEmpty()) {
      return new PoolExplanation("SERVFAIL", policy.rule(), true, false, members, List.of(),
          scope, 0, "no member this client may get serves and the pool says "
          + "when-all-down = servfail");
    }
    if (via != null) {
      return new PoolExplanation(via.outcome(), policy.rule() + "; pool " + leadChild.id()
          + " answers with its own policy", policy.deterministic() && via.deterministic(),
          family.failingOpen(), members, via.answer(), Math.max(scope, via.ecsScope()),
          via.ttl(), "from pool " + leadChild.id() + ": " + via.ttlReason(), leadChild.id(), via);
    }
    int n = config.answers();
    List<String> answer = new ArrayList<>();
    long ttl = Long.MAX_VALUE;
    int limiting = -1;
    List<PolicyExplanation.Ranked> candidates = policy.ranking();
    for (int j = 0; j < candidates.size(); j++) {
      int i = candidates.get(j).member();
      if (children[i] != null) {
        continue; // an answer led by an address carries addresses only
      }
      boolean inAnswer = j < n;
      if (inAnswer) {
        answer.add(Addresses.format(config.members().get(i).address()));
      }
      // a drawn answer may hold any candidate: its TTL can be as low as the lowest of theirs
      long mt = t != null ? t[i] : config.ttl().toSeconds();
      if ((inAnswer || !policy.deterministic()) && mt < ttl) {
        ttl = mt;
        limiting = i;
      }
    }
    String ttlReason;
    if (t == null || limiting < 0) {
      ttl = config.ttl().toSeconds();
      ttlReason = "the pool's fixed ttl " + config.ttl().toSeconds() + "s";
    } else {
      long at = changeAtOf(limiting);
      ttlReason = "ttl = auto: " + (at == Long.MAX_VALUE
          ? "no member in the answer is probed, so ttl-max"
          : Addresses.format(config.members().get(limiting).address()) + " could change state in "
              + Math.max(0, at - now) / 1000.0 + " s, less " + ttlAllowanceMillis / 1000.0
              + " s while the TTL is in use until recomputed, in whole seconds rounded down")
          + ", clamped to [" + config.ttlMin().toSeconds() + ", " + config.ttl().toSeconds() + "] s"
          + (policy.deterministic() ? "" : " (the lowest TTL any drawn answer can carry)");
    }
    return new PoolExplanation("answer", policy.rule(), policy.deterministic(),
        family.failingOpen(), members, answer, scope, ttl, ttlReason);
  }

  /** Whether the member can answer this family: its own address's, or its child pool's. */
  private boolean inFamily(MemberConfig m, boolean ipv6) {
    PoolRuntime child = children[m.index()];
    return child == null ? m.isIpv6() == ipv6 : child.family(ipv6).eligible() > 0;
  }

  private static String servingSummary(PoolRuntime child, boolean ipv6) {
    Selection.Family f = child.family(ipv6);
    return "pool " + child.id() + " serves " + f.serving() + " of " + f.eligible() + " "
        + (ipv6 ? "IPv6" : "IPv4") + " members (min-healthy " + child.config().minHealthy()
        + ": " + child.config().minHealthy().required(f.eligible()) + ")";
  }

  private synchronized double[] loadFactors() {
    return loadFactor.clone();
  }

  private synchronized long rampStartOf(int i) {
    return rampStart[i];
  }

  private synchronized long changeAtOf(int i) {
    return changeAt[i];
  }
}
