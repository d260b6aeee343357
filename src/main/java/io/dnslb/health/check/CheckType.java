package io.dnslb.health.check;

import java.util.Locale;
import java.util.Optional;

/** The check types a config may name, with what each needs from the config. */
public enum CheckType {
  TCP(true),
  HTTP(true),
  HTTPS(true),
  EXEC(false),
  NONE(false);

  private final boolean needsPort;

  CheckType(boolean needsPort) {
    this.needsPort = needsPort;
  }

  /** The probe connects somewhere, so the config must say which port. */
  public boolean needsPort() {
    return needsPort;
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<CheckType> byConfigName(String name) {
    for (CheckType t : values()) {
      if (t.configName().equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
