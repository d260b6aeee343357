package io.dnslb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reload log line names what changed, not only counts. */
class ReloadDiffTest {
  @TempDir Path dir;

  private static String pool(String id, String name, String members) {
    return "pools { " + id + " { names = [\"" + name + "\"]\nmembers = [\n" + members + "] } }\n";
  }

  @Test
  void namesZonesPoolsAndMemberChanges() throws Exception {
    Path a = Files.createDirectories(dir.resolve("a"));
    Path b = Files.createDirectories(dir.resolve("b"));
    Files.writeString(a.resolve("x.test.zone"), ReloadE2ETest.zone("x.test.", ""));
    Files.writeString(a.resolve("old.test.zone"), ReloadE2ETest.zone("old.test.", ""));
    Files.writeString(a.resolve("x.test.pools.conf"), pool("web", "www.x.test.",
        "{ address = \"192.0.2.1\" }\n{ address = \"192.0.2.2\", weight = 1 }\n{ address = \"192.0.2.3\" }\n"));
    Files.writeString(b.resolve("x.test.zone"), ReloadE2ETest.zone("x.test.", "v IN TXT \"v\"\n")
        .replace("hostmaster 1 ", "hostmaster 2 "));
    Files.writeString(b.resolve("new.test.zone"), ReloadE2ETest.zone("new.test.", ""));
    Files.writeString(b.resolve("x.test.pools.conf"), pool("web", "www.x.test.",
        "{ address = \"192.0.2.1\", admin = drain }\n{ address = \"192.0.2.2\", weight = 5 }\n"
            + "{ address = \"192.0.2.4\" }\n"));
    assertEquals("zones added: new.test.; zones removed: old.test.; "
        + "zones changed: x.test. (serial 1 -> 2, 3 -> 4 records); "
        + "pool web members added: 192.0.2.4; pool web members removed: 192.0.2.3; "
        + "pool web: 192.0.2.1 admin none -> drain, 192.0.2.2 weight 1 -> 5",
        ReloadDiff.describe(CatalogLoader.load(a), CatalogLoader.load(b)));
    assertEquals("nothing changed", ReloadDiff.describe(CatalogLoader.load(a), CatalogLoader.load(a)));
  }
}
