package io.dnslb.dnssec;

import io.dnslb.config.ConfigError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;

/**
 * A zones directory for DNSSEC tests: the signed zone {@code signed.example.} with every kind
 * of name (static, CNAME chains, wildcards, empty non-terminals, pools, a delegation with DS to
 * the signed child {@code secure.signed.example.} and one without to the unsigned child
 * {@code insecure.signed.example.}), keys made with our own keygen. The pool
 * {@code auto.signed.example.} has {@code ttl = auto} over a real TCP check (fall 10 at 1 s, no
 * fast-fail): it serves about 8 s, below its configured 60 s.
 */
final class SignedZones {
  static final Name PARENT = Name.fromConstantString("signed.example.");
  static final Name SECURE = Name.fromConstantString("secure.signed.example.");
  static final Name INSECURE = Name.fromConstantString("insecure.signed.example.");

  private SignedZones() {}

  /** Writes everything into dir; the parent's key uses {@code alg}. Returns dir. */
  static Path write(Path dir, int alg) throws IOException, ConfigError {
    Path keys = dir.resolve("keys");
    KeyFiles.generate(keys, PARENT, alg, true, 3600, Instant.now());
    KeyFiles.generate(keys, SECURE, Algorithms.ECDSAP256SHA256, true, 3600, Instant.now());
    SigningKey child = KeyFiles.load(keys, SECURE, "test", 0).get(0);
    String ds = DnssecDirectory.ds(SECURE, child, 300).rdataToString();
    Files.writeString(dir.resolve("signed.example.zone"), """
        $ORIGIN signed.example.
        $TTL 300
        @         SOA   ns1 hostmaster 1 3600 600 604800 60
        @         NS    ns1
        @         MX    10 mail
        ns1       A     127.0.0.1
        mail      A     192.0.2.25
        static    A     192.0.2.80
        static    AAAA  2001:db8::80
        static    TXT   "static text"
        alias     CNAME static
        chain     CNAME alias
        towww     CNAME www
        toauto    CNAME auto
        out       CNAME static.insecure
        *.wild    A     192.0.2.99
        *.wild    TXT   "wild"
        a.b.c     TXT   "deep"
        %s
        secure    NS    ns.secure
        secure    DS    %s
        ns.secure A     127.0.0.1
        insecure  NS    ns.insecure
        ns.insecure A   127.0.0.1
        """.formatted(many(), ds));
    Files.writeString(dir.resolve("signed.example.dnssec.conf"), """
        dnssec {
          keys = "keys/"
          algorithm = %s
        }
        """.formatted(alg == Algorithms.ED25519 ? "ed25519" : "ecdsap256sha256"));
    Files.writeString(dir.resolve("signed.example.pools.conf"), """
        pools {
          web {
            names = ["www.signed.example."]
            policy = weighted
            members = [
              { address = "192.0.2.10" }
              { address = "192.0.2.11" }
              { address = "2001:db8::10" }
            ]
          }
          api {
            names = ["api.signed.example."]
            policy = round-robin
            answers = 3
            members = [
              { address = "198.51.100.20" }
              { address = "198.51.100.21" }
              { address = "198.51.100.22" }
            ]
          }
          sites {
            names = ["sites.signed.example."]
            policy = failover
            members = [{ pool = "site-a" }, { pool = "site-b", priority = 2 }]
          }
          site-a {
            ttl = 7s
            members = [{ address = "203.0.113.1" }, { address = "203.0.113.2" }]
          }
          site-b { members = [{ address = "203.0.113.9" }] }
          auto {
            names = ["auto.signed.example."]
            ttl = auto
            ttl-max = 60s
            check { type = tcp, port = %d, interval = 1s, timeout = 500ms, fall = 10, fast-fail = false }
            members = [{ address = "127.0.0.1" }]
          }
        }
        """.formatted(TcpBackend.PORT));
    Files.writeString(dir.resolve("secure.signed.example.zone"), """
        $ORIGIN secure.signed.example.
        $TTL 300
        @      SOA ns hostmaster 1 3600 600 604800 60
        @      NS  ns
        ns     A   127.0.0.1
        host   A   192.0.2.50
        """);
    Files.writeString(dir.resolve("secure.signed.example.dnssec.conf"), "dnssec { keys = keys }\n");
    Files.writeString(dir.resolve("insecure.signed.example.zone"), """
        $ORIGIN insecure.signed.example.
        $TTL 300
        @      SOA ns hostmaster 1 3600 600 604800 60
        @      NS  ns
        ns     A   127.0.0.1
        host   A   192.0.2.60
        static A   192.0.2.61
        """);
    return dir;
  }

  /** 30 A records at many.signed.example: with its RRSIG over 512 bytes, under 1232. */
  private static String many() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      b.append("many A 10.0.0.").append(i).append('\n');
    }
    return b.toString();
  }

  /** The parent zone's key (its DNSKEY, to verify signatures and to anchor trust). */
  static DNSKEYRecord parentKey(Path dir) throws ConfigError {
    List<SigningKey> keys = KeyFiles.load(dir.resolve("keys"), PARENT, "test", 0);
    return keys.get(0).dnskey();
  }

  /** Reports a member up or down to the server's health table, as the prober would, at once. */
  static void health(io.dnslb.testing.TestServer server, io.dnslb.pool.PoolRuntime pool,
      int member, boolean up) {
    io.dnslb.health.HealthTable table = server.server().health();
    table.report(pool.config().members().get(member).key(),
        up ? io.dnslb.health.HealthState.UP : io.dnslb.health.HealthState.DOWN);
    table.flush();
  }

  static SigningKey parentSigningKey(Path dir) throws ConfigError {
    return KeyFiles.load(dir.resolve("keys"), PARENT, "test", 0).get(0);
  }

  /** A TCP listener on loopback for the auto pool's check: accepts and closes, for the JVM's life. */
  static final class TcpBackend {
    static final int PORT = start();

    private static int start() {
      try {
        java.net.ServerSocket listener = new java.net.ServerSocket(0, 50,
            java.net.InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
          while (true) {
            try (java.net.Socket s = listener.accept()) {
              // connected is all a tcp check asks
            } catch (IOException e) {
              return;
            }
          }
        }, "signed-zones-tcp-backend");
        t.setDaemon(true);
        t.start();
        return listener.getLocalPort();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
