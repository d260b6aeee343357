package io.dnslb.observe.http;

import java.time.Instant;

/**
 * The outcome of the last load or reload of the zones directory, for {@code /status}.
 *
 * @param at when it finished
 * @param ok whether the files were taken
 * @param error the first error as FILE:LINE: message, or null
 */
public record ConfigStatus(Instant at, boolean ok, String error) {}
