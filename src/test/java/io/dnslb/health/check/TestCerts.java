package io.dnslb.health.check;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * Self-signed server certificates made with the JDK's keytool at test time, so nothing secret or
 * expiring is checked in and no BouncyCastle is needed.
 */
public final class TestCerts {
  private static final char[] PASSWORD = "changeit".toCharArray();

  private TestCerts() {}

  /** A PKCS#12 keystore with one RSA key for CN=name, valid from now for {@code days}. */
  public static Path keystore(Path dir, String name, int days) throws Exception {
    Path file = Files.createTempFile(dir, name + "-", ".p12");
    Files.delete(file);
    Process p = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-keystore", file.toString(), "-storetype", "PKCS12", "-storepass", new String(PASSWORD),
        "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", Integer.toString(days),
        "-dname", "CN=" + name, "-ext", "SAN=dns:" + name))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + out);
    }
    return file;
  }

  public static SslContext serverContext(Path keystore) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD);
    return SslContextBuilder.forServer(kmf).build();
  }
}
