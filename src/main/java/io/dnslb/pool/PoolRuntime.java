package io.dnslb.pool;

import io.dnslb.health.HealthState;
import io.dnslb.health.HealthTable;
import io.dnslb.pool.policy.Selector;
import io.dnslb.wire.ClientSubnet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
 *
 * <p>Pools of pools: a member may be another pool, whose answer (its own policy, TTL and answer
 * count) becomes this pool's when the member is chosen. Every address a pool can answer with,
 * its own and its descendants', has one place in a flat {@link #leaves() layout} (own members at
 * their index, each child's layout after them at its offset), so both query paths index
 * pre-built records without knowing the nesting. A child that publishes a new selection has
 * its parents rebuild theirs; pools form no cycles, so that ends.
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

  private final PoolConfig config;
  private final Supplier<RandomGenerator> random;
  /** By member index: the child pool of a pool member, else null. */
  private final PoolRuntime[] children;
  /** By member index: where the member's addresses start in the flat layout. */
  private final int[] offsets;
  private final boolean hasChildren;
  private final List<Leaf> leaves;
  /** Per owner name, the record of each flat layout slot (null for a pool member's own slot). */
  private final Map<Name, Record[]> records;
  private final int maxAnswers;
  private final boolean usesClient;
  private final List<PoolRuntime> parents = new CopyOnWriteArrayList<>();
  private volatile Selection selection;
  /** The table and each address member's slot in it, by member index (-1 for a pool member). */
  private HealthTable table;
  private int[] slots;
  /** Answers given; replaced by the metrics' counter before the pool is published. */
  private LongAdder answered = new LongAdder();
  /** Times each member (by index) was in an answer; replaced by the metrics' counters. */
  private LongAdder[] memberAnswers;

  /** A pool of address members only. */
  public PoolRuntime(PoolConfig config, Supplier<RandomGenerator> random) {
    this(config, random, Map.of());
  }

  /**
   * @param random the random source of the querying thread; {@code ThreadLocalRandom::current}
   *     in the server, a seeded generator in tests
   * @param built the runtimes already built, by id: every child this pool lists (build order
   *     is {@link PoolGraph#order}); this pool registers with them as their parent
   */
  public PoolRuntime(PoolConfig config, Supplier<RandomGenerator> random,
      Map<String, PoolRuntime> built) {
    this.config = config;
    this.random = random;
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
    this.maxAnswers = answers;
    this.usesClient = client;
    this.records = buildRecords(config, flat);
    this.selection = SelectionBuilder.build(config, m -> HealthState.UNKNOWN, children);
    this.memberAnswers = new LongAdder[n];
    Arrays.setAll(memberAnswers, k -> new LongAdder());
    for (PoolRuntime child : children) {
      if (child != null && !child.parents.contains(this)) {
        child.parents.add(this);
      }
    }
  }

  /** Marks a pool member's own slot in {@link #leaves()}: it has no address of its own. */
  private static final Leaf NO_LEAF = new Leaf(null, 0);

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
  public synchronized void bind(HealthTable table) {
    int[] bound = new int[config.members().size()];
    for (MemberConfig m : config.members()) {
      bound[m.index()] = m.isPool() ? -1 : table.slot(m.key());
    }
    this.table = table;
    this.slots = bound;
    rebuild();
  }

  @Override
  public synchronized int[] slots() {
    return Arrays.stream(slots).filter(s -> s >= 0).toArray();
  }

  @Override
  public synchronized void healthChanged() {
    rebuild();
  }

  /**
   * Publishes a new selection, logging when failing open starts (WARN: every member is down and
   * the answers go to dead backends) and when it ends (INFO), then has the pools that list this
   * one rebuild theirs (a pool member's state is this pool's). Off the query path: only health
   * changes and loads get here. Called holding this pool's lock; parents lock after children,
   * and there are no cycles.
   */
  private void rebuild() {
    boolean was = selection.failingOpen();
    Selection next = SelectionBuilder.build(config, this::addressHealth, children);
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
    if (child == null) {
      return addressHealth(memberIndex);
    }
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
   * The fast path's selection: writes chosen flat indices (see {@link #leaves()}) to
   * {@code out} and returns how many, without allocating. Pass an array of
   * {@link #maxAnswers()}. Returns -1 for NODATA or SERVFAIL, which are rare and left to
   * {@link #answer}.
   */
  public int select(int qtype, ClientSubnet client, int[] out) {
    Selection current = selection;
    Selector selector = qtype == Type.A ? current.ipv4().selector()
        : qtype == Type.AAAA ? current.ipv6().selector() : null;
    if (selector == null) {
      return -1;
    }
    int count = selector.select(client, random.get(), out, config.answers());
    if (count <= 0) {
      return -1;
    }
    if (hasChildren) {
      PoolRuntime child = children[out[0]];
      if (child != null) {
        int base = offsets[out[0]];
        LongAdder viaChild = memberAnswers[out[0]];
        count = child.select(qtype, client, out);
        if (count <= 0) {
          return -1;
        }
        for (int i = 0; i < count; i++) {
          out[i] += base;
        }
        viaChild.increment();
        answered.increment();
        return count;
      }
      count = dropPoolMembers(out, count);
    }
    answered.increment();
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
    return answer(flat, 0, qtype, client);
  }

  /** This pool's answer with its layout starting at {@code base} of the asking pool's records. */
  private PoolAnswer answer(Record[] flat, int base, int qtype, ClientSubnet client) {
    Selection current = selection;
    Selection.Family family = qtype == Type.A ? current.ipv4()
        : qtype == Type.AAAA ? current.ipv6() : Selection.Family.NODATA;
    if (family.servfail()) {
      return new PoolAnswer(true, List.of(), 0);
    }
    if (family.selector() == null) {
      return NODATA;
    }
    int[] chosen = new int[maxAnswers];
    int count = family.selector().select(client, random.get(), chosen, config.answers());
    int scope = family.selector().ecsScope(client);
    if (count <= 0) {
      return new PoolAnswer(true, List.of(), scope);
    }
    PoolRuntime child = children[chosen[0]];
    if (child != null) {
      PoolAnswer a = child.answer(flat, base + offsets[chosen[0]], qtype, client);
      if (!a.servfail() && !a.records().isEmpty()) {
        answered.increment();
        memberAnswers[chosen[0]].increment();
      }
      return new PoolAnswer(a.servfail(), a.records(), Math.max(scope, a.ecsScope()));
    }
    count = hasChildren ? dropPoolMembers(chosen, count) : count;
    answered.increment();
    Record[] answer = new Record[count];
    LongAdder[] perMember = memberAnswers;
    for (int i = 0; i < count; i++) {
      answer[i] = flat[base + chosen[i]];
      perMember[chosen[i]].increment();
    }
    return new PoolAnswer(false, List.of(answer), scope);
  }
}
