package io.dnslb.pool;

import static io.dnslb.pool.PoolFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.dnslb.zone.ZoneSet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemberConfigTest {
  @TempDir Path dir;

  @Test
  void checkIsThePoolBlockWithTheMemberOverrideOnTop() throws Exception {
    List<MemberConfig> m = members("""
        pools {
          web {
            names = ["www.lb.example.com."]
            check { type = http, port = 80, path = "/" }
            members = [
              { address = "192.0.2.10" }
              { address = "192.0.2.11", check { port = 8080, host = "b" } }
            ]
          }
        }
        """);
    assertEquals(80, m.get(0).check().getInt("port"));
    assertEquals(8080, m.get(1).check().getInt("port"));
    assertEquals("http", m.get(1).check().getString("type"));
    assertEquals("b", m.get(1).check().getString("host"));
  }

  @Test
  void keyIgnoresHowTheCheckIsWrittenButNotWhatItSays() throws Exception {
    String a = members(pool("check { type = tcp, port = 80 }")).get(0).key();
    String b = members(pool("check {\n port = 80 # the web port\n type = tcp }")).get(0).key();
    String c = members(pool("check { type = tcp, port = 81 }")).get(0).key();
    assertEquals(a, b);
    assertNotEquals(a, c);
    assertEquals("web|192.0.2.10|{\"port\":80,\"type\":\"tcp\"}", a);
  }

  private static String pool(String check) {
    return "pools { web { names = [\"www.lb.example.com.\"]\n" + check
        + "\nmembers = [{ address = \"192.0.2.10\" }] } }\n";
  }

  private List<MemberConfig> members(String content) throws Exception {
    ZoneSet zones = PoolFixtures.zones(dir);
    write(dir, "a.pools.conf", content);
    return PoolDirectory.configs(dir, zones).get(0).members();
  }
}
