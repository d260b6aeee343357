package io.dnslb.app;

import java.time.Instant;

/**
 * The outcome of the last reload attempt, for logs, metrics and /status.
 *
 * @param at when it finished
 * @param ok whether the new files were swapped in
 * @param error the first error as FILE:LINE: message, or null when ok
 */
public record ReloadStatus(Instant at, boolean ok, String error) {}
