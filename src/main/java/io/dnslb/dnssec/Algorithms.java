package io.dnslb.dnssec;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;
import org.xbill.DNS.DNSSEC;

/**
 * The signing algorithms we offer and how each maps to the JDK: 13 (ECDSA P-256 with SHA-256,
 * RFC 6605) and 15 (Ed25519, RFC 8080; the JDK's EdDSA, Java 15+). Both make 64-byte signatures.
 */
public final class Algorithms {
  public static final int ECDSAP256SHA256 = DNSSEC.Algorithm.ECDSAP256SHA256;
  public static final int ED25519 = DNSSEC.Algorithm.ED25519;
  static final String NAMES = "ecdsap256sha256 (13), ed25519 (15)";
  /** Signature length in bytes, the same for both. */
  static final int SIGNATURE_BYTES = 64;

  private Algorithms() {}

  /** The algorithm number for a name or number as an operator writes it, or -1. */
  public static int parse(String s) {
    switch (s.toLowerCase(Locale.ROOT).replace("-", "")) {
      case "ecdsap256sha256":
      case "13":
        return ECDSAP256SHA256;
      case "ed25519":
      case "15":
        return ED25519;
      default:
        return -1;
    }
  }

  public static boolean supported(int alg) {
    return alg == ECDSAP256SHA256 || alg == ED25519;
  }

  /** BIND's mnemonic in .private files, e.g. {@code 13 (ECDSAP256SHA256)}. */
  static String mnemonic(int alg) {
    return alg + " (" + DNSSEC.Algorithm.string(alg) + ")";
  }

  static KeyPair generate(int alg) {
    try {
      if (alg == ECDSAP256SHA256) {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
      }
      if (alg == ED25519) {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      }
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot make " + alg + " keys: " + e, e);
    }
    throw new IllegalArgumentException("unsupported algorithm " + alg);
  }

  /**
   * The private key's BIND "PrivateKey:" bytes: the 32-byte scalar for ECDSA P-256, the 32-byte
   * seed for Ed25519.
   */
  static byte[] privateBytes(PrivateKey key) {
    if (key instanceof java.security.interfaces.ECPrivateKey ec) {
      return fixed(ec.getS().toByteArray(), 32);
    }
    if (key instanceof java.security.interfaces.EdECPrivateKey ed) {
      return ed.getBytes().orElseThrow(() -> new IllegalStateException("Ed25519 key without seed"));
    }
    throw new IllegalArgumentException("unsupported key " + key.getAlgorithm());
  }

  /** The JDK private key from BIND's "PrivateKey:" bytes. */
  static PrivateKey privateKey(int alg, byte[] bytes) throws java.security.GeneralSecurityException {
    if (alg == ECDSAP256SHA256) {
      java.security.AlgorithmParameters p = java.security.AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec("secp256r1"));
      java.security.spec.ECParameterSpec spec =
          p.getParameterSpec(java.security.spec.ECParameterSpec.class);
      return java.security.KeyFactory.getInstance("EC").generatePrivate(
          new java.security.spec.ECPrivateKeySpec(new java.math.BigInteger(1, bytes), spec));
    }
    if (alg == ED25519) {
      return java.security.KeyFactory.getInstance("Ed25519").generatePrivate(
          new java.security.spec.EdECPrivateKeySpec(
              java.security.spec.NamedParameterSpec.ED25519, bytes));
    }
    throw new java.security.NoSuchAlgorithmException("algorithm " + alg + " is not supported");
  }

  private static byte[] fixed(byte[] big, int len) {
    byte[] out = new byte[len];
    int copy = Math.min(big.length, len);
    System.arraycopy(big, big.length - copy, out, len - copy, copy);
    return out;
  }
}
