package io.dnslb.health;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one place a member's health lives (gdnsd's model): one slot per member key, written by
 * whoever decides (today the prober's trackers; later peers' verdicts and admin overrides too),
 * read by the pools through the slot index they were given at load. Pools keep no copy: a reload
 * asks for the slots of its members' keys ({@link #slot}), which keeps every surviving member's
 * state, then {@link #rebind}s the new pools as the readers.
 *
 * <p>A slot holds the member's own verdict, the fleet's decision once there is one
 * ({@link #fleet}: the fold of every server's verdict, made by the cluster package), and the
 * effective state answers use ({@link #decide}: the fleet's decision when made, else the own
 * verdict). Own verdicts are passed on to the {@link OwnListener}, which is how the fleet hears of
 * them. Operator overrides (admin state, weight) are not health and stay in the pools' selection.
 *
 * <p>Changes are batched: a change marks the readers of its slot, and a flush at most
 * {@link #BATCH_MILLIS} later rebuilds each marked reader once, so 10,000 verdicts arriving in a
 * burst (a big pool's first probe round) cost a handful of rebuilds per pool, not one each.
 * Nothing here is on the query path: readers publish what they build with a volatile write.
 */
public final class HealthTable {
  /** How long a change may wait for others before the readers it affects are rebuilt. */
  public static final long BATCH_MILLIS = 5;

  /** Something built from some slots' states (a pool's selection), rebuilt when they change. */
  public interface Reader {
    /** The slots this reader reads; fixed for the reader's life. */
    int[] slots();

    /** Rebuild from the table's current states; called off the query path, on any thread. */
    void healthChanged();
  }

  /** Told of every own verdict (off the query path, outside the table's lock). */
  @FunctionalInterface
  public interface OwnListener {
    void ownChanged(String key, HealthState own);
  }

  /** One member's health: the verdict of its own prober, and what answers act on. */
  private static final class Slot {
    final String key;
    volatile HealthState own = HealthState.UNKNOWN;
    /** The fleet's decision; null until one is made. */
    volatile HealthState fleet;
    volatile HealthState effective = HealthState.UNKNOWN;
    /** Readers of this slot in the current binding. */
    List<Reader> readers = List.of();

    Slot(String key) {
      this.key = key;
    }
  }

  private final ScheduledExecutorService scheduler;
  private final Map<String, Integer> byKey = new HashMap<>();
  private final List<Integer> free = new ArrayList<>();
  /** Slots handed out so far: the array's used prefix. */
  private int used;
  private volatile Slot[] slots = new Slot[0];
  private final Set<Reader> dirty = new LinkedHashSet<>();
  private boolean flushScheduled;
  private volatile OwnListener ownListener = (key, own) -> {};

  /** @param scheduler runs the batched rebuilds (the server's auxiliary event loop) */
  public HealthTable(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * The slot for a member key, allocated (state UNKNOWN) if the key is new. A key keeps its slot,
   * and so its state, for as long as some binding uses it.
   */
  public synchronized int slot(String key) {
    Integer existing = byKey.get(key);
    if (existing != null) {
      return existing;
    }
    int index = free.isEmpty() ? used++ : free.remove(free.size() - 1);
    Slot[] current = index < slots.length ? slots : Arrays.copyOf(slots, Math.max(16, index * 2));
    current[index] = new Slot(key);
    slots = current; // republished: a reader on another thread sees the new slot
    byKey.put(key, index);
    return index;
  }

  /** Who hears of own verdicts (the fleet); set before probing starts. */
  public void onOwn(OwnListener listener) {
    this.ownListener = listener;
  }

  /** The state answers act on. */
  public HealthState state(int slot) {
    return slots[slot].effective;
  }

  /** The member's own verdict (its prober's), for /status. */
  public HealthState own(int slot) {
    return slots[slot].own;
  }

  /** The slot's index for a key, or -1 when no binding uses the key. */
  public synchronized int find(String key) {
    Integer i = byKey.get(key);
    return i == null ? -1 : i;
  }

  /**
   * Records a member's own verdict. When the effective state changes, the readers of the slot are
   * rebuilt within {@link #BATCH_MILLIS}. A key no binding uses (a member removed by a reload
   * while its probe was in flight) is ignored.
   */
  public void report(String key, HealthState own) {
    if (update(key, s -> s.own = own)) {
      ownListener.ownChanged(key, own);
    }
  }

  /**
   * Records the fleet's decision on a member, which from now on is what answers act on. A key no
   * binding uses is ignored.
   */
  public void fleet(String key, HealthState decision) {
    update(key, s -> s.fleet = decision);
  }

  /** Applies a change to a slot; false when no binding uses the key. */
  private boolean update(String key, java.util.function.Consumer<Slot> change) {
    boolean schedule;
    synchronized (this) {
      Integer index = byKey.get(key);
      if (index == null) {
        return false;
      }
      Slot s = slots[index];
      change.accept(s);
      HealthState effective = decide(s);
      if (effective == s.effective) {
        return true;
      }
      s.effective = effective;
      dirty.addAll(s.readers);
      schedule = !flushScheduled && !dirty.isEmpty();
      flushScheduled |= schedule;
    }
    if (schedule) {
      try {
        scheduler.schedule(this::flush, BATCH_MILLIS, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException shuttingDown) {
        flush(); // the loop is stopping with the server; rebuild here rather than lose it
      }
    }
    return true;
  }

  /** What answers act on, from everything known about the member. */
  private static HealthState decide(Slot s) {
    return s.fleet != null ? s.fleet : s.own;
  }

  /** Rebuilds every reader with a pending change now (a reload does before publishing). */
  public void flush() {
    List<Reader> batch;
    synchronized (this) {
      batch = new ArrayList<>(dirty);
      dirty.clear();
      flushScheduled = false;
    }
    batch.forEach(Reader::healthChanged);
  }

  /**
   * Makes {@code readers} the table's readers, replacing the previous binding, and rebuilds each
   * once from the current states (so a change reported between {@link #slot} and this call is not
   * lost). Slots no reader reads any more are freed: their keys left the configuration.
   */
  public void rebind(List<? extends Reader> readers) {
    synchronized (this) {
      Slot[] current = slots;
      List<List<Reader>> bySlot = new ArrayList<>(used);
      for (int i = 0; i < used; i++) {
        bySlot.add(new ArrayList<>(1));
      }
      for (Reader r : readers) {
        for (int slot : r.slots()) {
          bySlot.get(slot).add(r);
        }
      }
      for (int i = 0; i < used; i++) {
        Slot s = current[i];
        if (s == null) {
          continue;
        }
        if (bySlot.get(i).isEmpty()) {
          byKey.remove(s.key);
          current[i] = null;
          free.add(i);
        } else {
          s.readers = List.copyOf(bySlot.get(i));
        }
      }
      dirty.clear();
    }
    readers.forEach(Reader::healthChanged);
  }
}
