package io.dnslb.health.check;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes of one process group, read from Linux {@code /proc}: Java can signal single
 * processes only, and a child re-parented to init is no longer among the probe's descendants.
 */
final class ProcessGroup {
  private static final Path PROC = Path.of("/proc");

  private ProcessGroup() {}

  /** Live processes whose process group is {@code group} (processes we may not see are skipped). */
  static List<ProcessHandle> members(long group) {
    List<ProcessHandle> found = new ArrayList<>();
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path dir : pids) {
        if (groupOf(dir) == group) {
          ProcessHandle.of(Long.parseLong(dir.getFileName().toString())).ifPresent(found::add);
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      // no /proc: the caller falls back to descendants
    }
    return found;
  }

  /** Field 5 of /proc/PID/stat, counted after the command name (which may hold spaces). */
  private static long groupOf(Path dir) {
    try {
      String stat = Files.readString(dir.resolve("stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 4);
      return Long.parseLong(fields[2]); // state, ppid, pgrp
    } catch (IOException | RuntimeException gone) {
      return -1; // exited while we looked
    }
  }
}
