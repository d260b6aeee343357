package io.dnslb.observe.http;

import io.dnslb.json.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusTableTest {
  private static Map<?, ?> status(ConfigStatus config) {
    return (Map<?, ?>) Json.parse(StatusJson.encode(List.of(), config));
  }

  @Test
  void aFailedReloadIsShownFirst() {
    String out = StatusTable.render(status(new ConfigStatus(Instant.parse("2026-11-25T10:00:00Z"),
        false, "zones/a.zone:7: bad address")), false);
    assertEquals("last reload FAILED at 2026-11-25T10:00:00Z, still serving the previous files: "
        + "zones/a.zone:7: bad address\n\nno pools\n", out);
  }

  @Test
  void aGoodReloadSaysNothing() {
    String out = StatusTable.render(status(new ConfigStatus(Instant.EPOCH, true, null)), false);
    assertEquals("no pools\n", out);
    assertFalse(out.contains("FAILED"));
    assertTrue(StatusTable.render(status(null), false).startsWith("no pools"));
  }
}
