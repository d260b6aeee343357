package io.dnslb.app;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the zones directory and calls back once per burst of changes: an editor's save is
 * often several events (write a temp file, rename it over, touch), and they must make one reload.
 * Each relevant event pushes the deadline back by the debounce delay, but never past
 * {@link #MAX_WAIT_DEBOUNCES} delays after the first: a steady stream of events (a SIGHUP every
 * 50 ms) must not put the reload off forever.
 *
 * <p>Deploy tools often replace the whole directory (rename the old one away, create a new one).
 * A watch follows the directory it was placed on, not its name, so the parent is watched too:
 * when the name comes to point at another directory, the watch moves there and a reload follows.
 */
final class DirectoryWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DirectoryWatcher.class);
  static final int MAX_WAIT_DEBOUNCES = 10;

  private final Path dir;
  private final long debounceMillis;
  private final Runnable onChange;
  private final WatchService watch;
  private final ScheduledExecutorService timer;
  private final Thread thread;
  private WatchKey dirKey;
  private Object dirIdentity;
  private ScheduledFuture<?> pending;
  /** Whether the pending reload has begun: a change after that needs a reload of its own. */
  private boolean pendingStarted = true;
  private long burstStartNanos;

  DirectoryWatcher(Path dir, long debounceMillis, Runnable onChange) throws IOException {
    this.dir = dir.toAbsolutePath().normalize();
    this.debounceMillis = debounceMillis;
    this.onChange = onChange;
    this.watch = FileSystems.getDefault().newWatchService();
    watchDirectory();
    Path parent = this.dir.getParent();
    if (parent != null) {
      try {
        parent.register(watch, StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_DELETE);
      } catch (IOException e) {
        log.warn("cannot watch {} for the zones directory being replaced: {}", parent,
            e.getMessage());
      }
    }
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dnslb-reload");
      t.setDaemon(true);
      return t;
    });
    this.thread = new Thread(this::loop, "dnslb-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void watchDirectory() throws IOException {
    dirKey = dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE,
        StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
    dirIdentity = identity(dir);
  }

  /** The directory's inode (where the file system has one), to tell a replacement apart. */
  private static Object identity(Path p) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return a.fileKey() != null ? a.fileKey() : a.creationTime();
    } catch (IOException gone) {
      return null;
    }
  }

  /**
   * Files whose change can alter what we serve; also Kubernetes' ConfigMap "..data" swaps.
   * Topology pools read networks files (any {@code .conf}) and MaxMind databases ({@code .mmdb})
   * from the directory too, so a new one is picked up like a zone file.
   */
  static boolean relevant(Path name) {
    String s = name.toString();
    // any .conf covers *.pools.conf, *.dnssec.conf and topology networks files
    return s.endsWith(".zone") || s.endsWith(".conf") || s.endsWith(".mmdb")
        || s.startsWith("..");
  }

  private void loop() {
    try {
      while (true) {
        WatchKey key = watch.take();
        boolean changed = false;
        for (WatchEvent<?> event : key.pollEvents()) {
          Object context = event.context();
          if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
            changed = true;
          } else if (key == dirKey) {
            changed |= context instanceof Path p && relevant(p);
          } else if (context instanceof Path p && p.equals(dir.getFileName())) {
            changed |= rewatchIfReplaced();
          }
        }
        key.reset();
        if (changed) {
          schedule();
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closing
    }
  }

  /** The name may now point at another directory, or at none: follow it. */
  private boolean rewatchIfReplaced() {
    Object now = identity(dir);
    if (now == null) {
      log.warn("zones directory {} is gone; still serving the last data loaded, and watching"
          + " for it to come back", dir);
      return false;
    }
    if (Objects.equals(now, dirIdentity) && dirKey.isValid()) {
      return false;
    }
    dirKey.cancel();
    try {
      watchDirectory();
    } catch (IOException e) {
      log.error("zones directory {} was replaced but cannot be watched: {}; reload with SIGHUP",
          dir, e.getMessage());
      return false;
    }
    log.info("zones directory {} was replaced; watching the new one and reloading", dir);
    return true;
  }

  /**
   * Runs the callback after the debounce delay, on the reload thread (also used for SIGHUP); a
   * burst of requests waits at most {@link #MAX_WAIT_DEBOUNCES} delays from its first.
   */
  synchronized void schedule() {
    // Real time, not the server's Ticker: the burst's cap is measured on the clock that paces
    // the debounce (the timer's), and a manual ticker cannot make that timer wait less.
    long now = System.nanoTime();
    if (!pendingStarted) {
      long waited = now - burstStartNanos;
      if (waited >= TimeUnit.MILLISECONDS.toNanos(debounceMillis * (MAX_WAIT_DEBOUNCES - 1))) {
        return; // the pending reload runs within one delay and will see this change too
      }
      pending.cancel(false);
    } else {
      burstStartNanos = now;
    }
    pendingStarted = false;
    pending = timer.schedule(this::fire, debounceMillis, TimeUnit.MILLISECONDS);
  }

  private void fire() {
    synchronized (this) {
      pendingStarted = true;
    }
    try {
      onChange.run();
    } catch (Throwable e) { // the reload thread must survive to run the next one
      log.error("reload of {} failed unexpectedly", dir, e);
    }
  }

  @Override
  public void close() {
    try {
      watch.close();
    } catch (IOException e) {
      // nothing left to do
    }
    thread.interrupt();
    timer.shutdownNow();
  }
}
