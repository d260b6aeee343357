package io.dnslb.health.check;

import com.typesafe.config.Config;
import io.dnslb.config.ConfigError;
import io.dnslb.health.LoadSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A check type as a config names it ({@code type = NAME}): one constant in each check's file, one
 * line in {@link CheckRegistry}. The keys every type shares (type, port, host, address, interval,
 * timeout, rise, fall, fast-fail) are read by {@code CheckSpec}; a type reads its own.
 *
 * @param socket the probe connects to a port: the block must name it, and a refused or
 *     unreachable connection may fail fast
 * @param keys the check block's keys this type reads itself; another type's block refuses them
 * @param options reads and validates those keys into what the check finds in
 *     {@code CheckSpec.options()}, recording every problem with FILE:LINE
 * @param create the check, given what the server shares with checks
 */
public record CheckType(String name, boolean socket, Set<String> keys, Options options,
    Function<CheckContext, Check> create) {

  /** Reads a type's own keys from a check block (all of it, merged from pool and member). */
  @FunctionalInterface
  public interface Options {
    /**
     * @param probesDir where exec probes live, or null when the caller does not know it (the
     *     pool loader; the probe plan checks again with it)
     */
    Object read(Config check, Path probesDir, List<ConfigError> errors);
  }

  /** Options of a check whose backend reports its load (they scale the member's weight). */
  public interface LoadOptions {
    /** Where the figure is read, or null when this check does not read one. */
    LoadSpec load();
  }

  /** For a type with no keys of its own. */
  static final Options NO_OPTIONS = (check, probesDir, errors) -> null;
}
