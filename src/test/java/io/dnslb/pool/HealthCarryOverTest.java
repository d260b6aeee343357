package io.dnslb.pool;

import static io.dnslb.pool.PoolFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dnslb.zone.ZoneSet;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

class HealthCarryOverTest {
  @TempDir Path dir;

  @Test
  void membersKeepTheirHealthAcrossAReloadThatMovesThemBetweenFiles() throws Exception {
    ZoneSet zones = PoolFixtures.zones(dir);
    write(dir, "a.pools.conf", """
        pools {
          web { names = ["www.lb.example.com."], members = [{ address = "192.0.2.10" }] }
          api { names = ["api.lb.example.com."], members = [{ address = "192.0.2.10" }] }
        }
        """);
    Pools before = PoolDirectory.load(dir, zones);
    runtime(before, "www").setHealth(0, false);

    write(dir, "a.pools.conf", """
        pools {
          api { names = ["api.lb.example.com."], members = [{ address = "192.0.2.10" }] }
        }
        """);
    write(dir, "b.pools.conf", """
        pools {
          web { names = ["www.lb.example.com."], members = [
            { address = "192.0.2.11" }, { address = "192.0.2.10" } ] }
        }
        """);
    Pools after = PoolDirectory.load(dir, zones);
    HealthCarryOver.carry(before, after);

    assertEquals(Health.UNKNOWN, runtime(after, "www").health(0));
    assertEquals(Health.DOWN, runtime(after, "www").health(1));
    assertEquals(Health.UNKNOWN, runtime(after, "api").health(0), "same address, other pool");
  }

  private static PoolRuntime runtime(Pools pools, String label) throws Exception {
    return (PoolRuntime) pools.find(Name.fromString(label + ".lb.example.com."));
  }
}
