package io.dnslb.app;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the zones directory and calls back once per burst of changes: an editor's save is
 * often several events (write a temp file, rename it over, touch), and they must make one reload.
 * Each relevant event pushes the deadline back by the debounce delay.
 */
final class DirectoryWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DirectoryWatcher.class);

  private final Path dir;
  private final long debounceMillis;
  private final Runnable onChange;
  private final WatchService watch;
  private final ScheduledExecutorService timer;
  private final Thread thread;
  private ScheduledFuture<?> pending;

  DirectoryWatcher(Path dir, long debounceMillis, Runnable onChange) throws IOException {
    this.dir = dir;
    this.debounceMillis = debounceMillis;
    this.onChange = onChange;
    this.watch = FileSystems.getDefault().newWatchService();
    dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dnslb-reload");
      t.setDaemon(true);
      return t;
    });
    this.thread = new Thread(this::loop, "dnslb-watch");
    thread.setDaemon(true);
    thread.start();
  }

  /** Files whose change can alter what we serve; also Kubernetes' ConfigMap "..data" swaps. */
  static boolean relevant(Path name) {
    String s = name.toString();
    return s.endsWith(".zone") || s.endsWith(".pools.conf") || s.endsWith(".dnssec.conf")
        || s.startsWith("..");
  }

  private void loop() {
    try {
      while (true) {
        WatchKey key = watch.take();
        boolean changed = false;
        for (WatchEvent<?> event : key.pollEvents()) {
          Object context = event.context();
          if (event.kind() == StandardWatchEventKinds.OVERFLOW
              || (context instanceof Path p && relevant(p))) {
            changed = true;
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

  /** Runs the callback after the debounce delay, on the reload thread (also used for SIGHUP). */
  synchronized void schedule() {
    if (pending != null) {
      pending.cancel(false);
    }
    pending = timer.schedule(() -> {
      try {
        onChange.run();
      } catch (RuntimeException e) {
        log.error("reload of {} failed unexpectedly", dir, e);
      }
    }, debounceMillis, TimeUnit.MILLISECONDS);
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
