package io.dnslb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The deployment files say what they mean: no Docker engine or systemd runs in CI, so what can
 * be read from the files is checked here (each rule once broke a real deployment).
 */
class DeployFilesTest {
  private static String read(String path) throws Exception {
    return Files.readString(Path.of(path));
  }

  private static String value(String unit, String key) {
    Matcher m = Pattern.compile("(?m)^" + key + "=(.*)$").matcher(unit);
    assertTrue(m.find(), key + " missing");
    return m.group(1);
  }

  @Test
  void theUnitChecksWithTheArgumentsItServesWith() throws Exception {
    String unit = read("deploy/dnslb.service");
    String start = value(unit, "ExecStart");
    String pre = value(unit, "ExecStartPre");
    assertEquals(start.replace(" serve ", " check "), pre,
        "ExecStartPre must check exactly what ExecStart serves (same --config, --zones, ...)");
  }

  @Test
  void theUnitsDocumentationExistsAfterTheDocumentedInstallSteps() throws Exception {
    String unit = read("deploy/dnslb.service");
    for (String doc : value(unit, "Documentation").split("\\s+")) {
      assertTrue(doc.startsWith("file://"), doc);
      String installed = doc.substring("file://".length());
      for (String steps : List.of(unit, read("deploy/README.md"), read("README.md"))) {
        assertTrue(Pattern.compile("install [^\\n]*\\S+ " + Pattern.quote(installed)).matcher(steps).find(),
            installed + " is not installed by the steps in\n" + steps);
      }
    }
  }

  @Test
  void aReadOnlyContainerGetsAnExecTmpForNettysNativeLibrary() throws Exception {
    String compose = read("docker/compose.yaml");
    Matcher dnslb = Pattern.compile("(?s)\n  dnslb:\n(.*?)\n  \\w+:").matcher(compose);
    assertTrue(dnslb.find());
    String service = dnslb.group(1);
    if (service.contains("read_only: true")) {
      Matcher tmpfs = Pattern.compile("tmpfs: (.*)").matcher(service);
      assertTrue(tmpfs.find(), "read-only without a tmpfs: Netty cannot unpack its library");
      assertTrue(tmpfs.group(1).contains("/tmp:") && tmpfs.group(1).matches(".*[:,]exec[,\"\\]].*"),
          "Docker mounts tmpfs noexec by default, and Netty's epoll library then fails to load: "
              + tmpfs.group(1));
    }
  }

  @Test
  void theDefaultDnsPortIsNotMdns() throws Exception {
    for (String path : List.of("src/main/resources/reference.conf", "README.md",
        "docker/README.md", "deploy/README.md", "src/main/java/io/dnslb/cli/ServeCommand.java",
        "src/main/java/io/dnslb/cli/DemoCommand.java")) {
      String text = read(path).replace("not 5353, which is mDNS", "").replace("(was 5353, which is mDNS", "");
      assertFalse(Pattern.compile("\\b5353\\b").matcher(text).find(),
          path + " still names 5353 (mDNS, held by avahi and systemd-resolved)");
    }
  }

  @Test
  void theImageCanRunTheShippedPythonProbesAndSaysHow() throws Exception {
    String dockerfile = read("docker/Dockerfile");
    assertTrue(dockerfile.contains("ARG WITH_PYTHON"), "a build argument to add python3");
    assertTrue(dockerfile.matches("(?s).*WITH_PYTHON\" = true \\]; then apt-get install[^;]*python3.*"));
    assertTrue(read("docker/README.md").contains("--build-arg WITH_PYTHON=true"));
  }
}
