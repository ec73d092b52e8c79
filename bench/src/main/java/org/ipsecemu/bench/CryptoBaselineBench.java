package org.ipsecemu.bench;

import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.MD5Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.modes.CBCModeCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.util.Arrays;
import org.ipsecemu.sadb.alg.Algorithm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The limit each {@link EspBench} and {@link AhBench} figure is compared with: the bare primitives,
 * Bouncy Castle's lightweight API and the JDK's JCE side by side, on the byte counts ESP or AH
 * would process for the same {@code alg} and {@code size}, with no ESP or AH around them.
 *
 * <ul>
 *   <li>ESP with a cipher and a MAC (RFC 4303 §3.3.4, encrypt-then-MAC): {@code outbound} encrypts
 *       the padded payload ({@code size} + 2-byte trailer, to the block and to 4 bytes) in CBC and
 *       computes the MAC over SPI, sequence number, IV and ciphertext; {@code inbound} computes the
 *       MAC over the same bytes, compares the 12-byte ICV in constant time and decrypts. The CBC
 *       cipher is keyed once and chains on from the previous packet: the per-packet IV is left out,
 *       since setting it is what the datapath must make cheap, not a cost of the primitive.
 *   <li>{@code null/...}: the MAC alone over the same bytes.
 *   <li>{@code aes-gcm-16} (RFC 4106): per packet a new nonce (salt || 8-byte counter), 8 bytes of
 *       AAD and the padded payload, sealed or opened with its 16-byte tag. Neither library can
 *       change a GCM nonce without re-initialising, so that {@code init} is part of the primitive.
 *       {@code inbound} opens 64 packets sealed beforehand, in turn.
 *   <li>{@code ah/...} (RFC 4302 §3.3.3): the MAC over the IPv4 header, the 24-byte AH header and
 *       the payload ({@code size} + 44 bytes); {@code inbound} also compares the ICV.
 * </ul>
 *
 * Inputs are never modified (output goes to a second array), so nothing is copied per operation.
 * Keys are the benchmarks' (AES-128). {@code provider}: {@code jce} is SunJCE through {@code
 * Cipher}/{@code Mac}; {@code bc} is {@code CBCBlockCipher} over {@code AESEngine}, {@code
 * DESEngine}, {@code DESedeEngine}, {@code HMac} and {@code GCMBlockCipher}.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar CryptoBaselineBench -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class CryptoBaselineBench {
  private static final int SEALED = 64;

  /** As in {@link EspBench} ({@code cipher/mac} or the combined mode) and {@code ah/mac}. */
  @Param({
    "des-cbc/hmac-md5",
    "3des-cbc/hmac-sha1",
    "null/hmac-sha1",
    "aes-cbc/hmac-sha1",
    "aes-gcm-16",
    "ah/hmac-md5",
    "ah/hmac-sha1"
  })
  public String alg;

  /** {@code jce} (SunJCE) or {@code bc} (Bouncy Castle lightweight API). */
  @Param({"jce", "bc"})
  public String provider;

  /** Payload bytes, as in {@link EspBench}. */
  @Param({"64", "512", "1400"})
  public int size;

  private Primitive primitive;

  @Setup(Level.Trial)
  public void setUp() throws GeneralSecurityException {
    Lab.Suite suite = Lab.Suite.parse(alg);
    boolean jce =
        switch (provider) {
          case "jce" -> true;
          case "bc" -> false;
          default -> throw new IllegalArgumentException("provider=" + provider);
        };
    if (suite.encryption() == Algorithm.AES_GCM_16) {
      primitive = jce ? new JceGcm(suite, size) : new BcGcm(suite, size);
    } else {
      primitive = jce ? new JceCbcHmac(suite, size) : new BcCbcHmac(suite, size);
    }
  }

  /** Encrypts and computes the ICV (ESP), or computes it (AH). */
  @Benchmark
  public int outbound() throws GeneralSecurityException, InvalidCipherTextException {
    return primitive.outbound();
  }

  /** Computes and compares the ICV and decrypts (ESP), or computes and compares it (AH). */
  @Benchmark
  public int inbound() throws GeneralSecurityException, InvalidCipherTextException {
    return primitive.inbound();
  }

  /** One algorithm pair with one library; each returns something that depends on its output. */
  private abstract static class Primitive {
    abstract int outbound() throws GeneralSecurityException, InvalidCipherTextException;

    abstract int inbound() throws GeneralSecurityException, InvalidCipherTextException;
  }

  /**
   * The ESP or AH byte layout shared by the CBC+HMAC primitives: [covered prefix | ciphertext |
   * ICV]. ESP: prefix = SPI, sequence number, IV. AH: no cipher, the MAC covers {@code size + 44}.
   */
  private abstract static class CbcHmac extends Primitive {
    final int cipherOffset;
    final int cipherLength;
    final int macLength;
    final int icvLength;
    final byte[] in;
    final byte[] out;
    final byte[] mac;

    CbcHmac(Lab.Suite suite, int size) {
      if (suite.esp()) {
        cipherOffset = 8 + suite.ivLength();
        cipherLength = suite.ciphertextLength(size);
        macLength = cipherOffset + cipherLength;
      } else {
        cipherOffset = 0;
        cipherLength = 0;
        macLength = size + 44;
      }
      icvLength = suite.icvLength();
      in = filled(macLength + icvLength);
      out = new byte[in.length];
      mac = new byte[suite.integrity().digestLength()];
    }

    /** What the MAC reads: the ciphertext outbound (or the cleartext without a cipher). */
    byte[] covered(boolean encrypted) {
      return encrypted ? out : in;
    }
  }

  private static final class JceCbcHmac extends CbcHmac {
    private final Cipher encrypt;
    private final Cipher decrypt;
    private final Mac hmac;

    JceCbcHmac(Lab.Suite suite, int size) throws GeneralSecurityException {
      super(suite, size);
      Algorithm enc = suite.encryption();
      if (enc != null && enc != Algorithm.NULL) {
        String name =
            switch (enc) {
              case AES_CBC -> "AES";
              case DES_CBC -> "DES";
              case TRIPLE_DES_CBC -> "DESede";
              default -> throw new IllegalArgumentException(enc.toString());
            };
        SecretKeySpec key = new SecretKeySpec(suite.encryptionKey(), name);
        IvParameterSpec iv = new IvParameterSpec(new byte[enc.blockSize()]);
        encrypt = Cipher.getInstance(name + "/CBC/NoPadding", "SunJCE");
        encrypt.init(Cipher.ENCRYPT_MODE, key, iv);
        decrypt = Cipher.getInstance(name + "/CBC/NoPadding", "SunJCE");
        decrypt.init(Cipher.DECRYPT_MODE, key, iv);
      } else {
        encrypt = null;
        decrypt = null;
      }
      String macName = suite.integrity() == Algorithm.HMAC_MD5_96 ? "HmacMD5" : "HmacSHA1";
      hmac = Mac.getInstance(macName, "SunJCE");
      hmac.init(new SecretKeySpec(suite.integrityKey(), macName));
    }

    @Override
    int outbound() throws GeneralSecurityException {
      if (encrypt != null) {
        encrypt.update(in, cipherOffset, cipherLength, out, cipherOffset);
      }
      hmac.update(covered(encrypt != null), 0, macLength);
      hmac.doFinal(mac, 0);
      System.arraycopy(mac, 0, out, macLength, icvLength);
      return out[macLength];
    }

    @Override
    int inbound() throws GeneralSecurityException {
      hmac.update(in, 0, macLength);
      hmac.doFinal(mac, 0);
      boolean ok = Arrays.constantTimeAreEqual(icvLength, mac, 0, in, macLength);
      if (decrypt != null) {
        decrypt.update(in, cipherOffset, cipherLength, out, cipherOffset);
      }
      return (ok ? 1 : 0) + out[cipherOffset];
    }
  }

  private static final class BcCbcHmac extends CbcHmac {
    private final CBCModeCipher encrypt;
    private final CBCModeCipher decrypt;
    private final int blockSize;
    private final HMac hmac;

    BcCbcHmac(Lab.Suite suite, int size) {
      super(suite, size);
      Algorithm enc = suite.encryption();
      if (enc != null && enc != Algorithm.NULL) {
        KeyParameter key = new KeyParameter(suite.encryptionKey());
        byte[] iv = new byte[enc.blockSize()];
        encrypt = CBCBlockCipher.newInstance(engine(enc));
        encrypt.init(true, new ParametersWithIV(key, iv));
        decrypt = CBCBlockCipher.newInstance(engine(enc));
        decrypt.init(false, new ParametersWithIV(key, iv));
        blockSize = enc.blockSize();
      } else {
        encrypt = null;
        decrypt = null;
        blockSize = 0;
      }
      Digest digest =
          suite.integrity() == Algorithm.HMAC_MD5_96 ? new MD5Digest() : new SHA1Digest();
      hmac = new HMac(digest);
      hmac.init(new KeyParameter(suite.integrityKey()));
    }

    private static BlockCipher engine(Algorithm alg) {
      return switch (alg) {
        case AES_CBC -> AESEngine.newInstance();
        case DES_CBC -> new DESEngine();
        case TRIPLE_DES_CBC -> new DESedeEngine();
        default -> throw new IllegalArgumentException(alg.toString());
      };
    }

    @Override
    int outbound() {
      if (encrypt != null) {
        int end = cipherOffset + cipherLength;
        for (int i = cipherOffset; i < end; i += blockSize) {
          encrypt.processBlock(in, i, out, i);
        }
      }
      hmac.update(covered(encrypt != null), 0, macLength);
      hmac.doFinal(mac, 0);
      System.arraycopy(mac, 0, out, macLength, icvLength);
      return out[macLength];
    }

    @Override
    int inbound() {
      hmac.update(in, 0, macLength);
      hmac.doFinal(mac, 0);
      boolean ok = Arrays.constantTimeAreEqual(icvLength, mac, 0, in, macLength);
      if (decrypt != null) {
        int end = cipherOffset + cipherLength;
        for (int i = cipherOffset; i < end; i += blockSize) {
          decrypt.processBlock(in, i, out, i);
        }
      }
      return (ok ? 1 : 0) + out[cipherOffset];
    }
  }

  /**
   * AES-GCM-16 in the ESP layout: [SPI, sequence number (the AAD) | IV | ciphertext | tag]. The
   * nonce is the key material's 4-byte salt and an 8-byte counter.
   */
  private abstract static class Gcm extends Primitive {
    static final int PAYLOAD = 16;
    final int length;
    final byte[] in;
    final byte[] out;
    final byte[] aesKey;
    final byte[] nonce = new byte[12];
    long counter;
    final byte[][] sealed = new byte[SEALED][];
    final byte[][] nonces = new byte[SEALED][];
    int next;

    Gcm(Lab.Suite suite, int size) {
      length = suite.ciphertextLength(size);
      in = filled(PAYLOAD + length + 16);
      out = new byte[in.length];
      byte[] material = suite.encryptionKey();
      aesKey = java.util.Arrays.copyOf(material, material.length - 4);
      System.arraycopy(material, material.length - 4, nonce, 0, 4);
    }

    /** Moves the nonce on: GCM must never seal twice with one nonce (both libraries refuse). */
    void nextNonce() {
      long c = ++counter;
      for (int i = 11; i >= 4; i--) {
        nonce[i] = (byte) c;
        c >>>= 8;
      }
    }

    /**
     * Seals {@link #SEALED} packets for {@link #inbound}, each with the nonce it was sealed under.
     */
    void sealForInbound() throws GeneralSecurityException, InvalidCipherTextException {
      for (int i = 0; i < SEALED; i++) {
        outbound();
        sealed[i] = out.clone();
        System.arraycopy(in, 0, sealed[i], 0, PAYLOAD); // SPI, sequence number, IV
        nonces[i] = nonce.clone();
      }
    }
  }

  private static final class JceGcm extends Gcm {
    private final SecretKeySpec key;
    private final Cipher gcm;

    JceGcm(Lab.Suite suite, int size) throws GeneralSecurityException {
      super(suite, size);
      key = new SecretKeySpec(aesKey, "AES");
      gcm = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
      try {
        sealForInbound();
      } catch (InvalidCipherTextException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    int outbound() throws GeneralSecurityException {
      nextNonce();
      gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      gcm.updateAAD(in, 0, 8);
      return gcm.doFinal(in, PAYLOAD, length, out, PAYLOAD);
    }

    @Override
    int inbound() throws GeneralSecurityException {
      int i = next;
      next = (i + 1) & (SEALED - 1);
      byte[] p = sealed[i];
      gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonces[i]));
      gcm.updateAAD(p, 0, 8);
      return gcm.doFinal(p, PAYLOAD, length + 16, out, PAYLOAD);
    }
  }

  private static final class BcGcm extends Gcm {
    private final GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());

    /**
     * Two parameter objects used in turn: Bouncy Castle compares the new nonce with the last one by
     * reference, so one shared array would look reused.
     */
    private final ParametersWithIV[] params = {
      new ParametersWithIV(null, new byte[12]), new ParametersWithIV(null, new byte[12])
    };

    private int turn;

    BcGcm(Lab.Suite suite, int size) throws GeneralSecurityException {
      super(suite, size);
      // The key schedule and GHASH tables once; a 16-byte nonce never equals a 12-byte one.
      gcm.init(true, new AEADParameters(new KeyParameter(aesKey), 128, new byte[16]));
      try {
        sealForInbound();
      } catch (InvalidCipherTextException e) {
        throw new IllegalStateException(e);
      }
    }

    private ParametersWithIV params(byte[] n) {
      ParametersWithIV p = params[turn];
      turn ^= 1;
      System.arraycopy(n, 0, p.getIV(), 0, 12);
      return p;
    }

    @Override
    int outbound() throws InvalidCipherTextException {
      nextNonce();
      gcm.init(true, params(nonce));
      gcm.processAADBytes(in, 0, 8);
      int n = gcm.processBytes(in, PAYLOAD, length, out, PAYLOAD);
      return n + gcm.doFinal(out, PAYLOAD + n);
    }

    @Override
    int inbound() throws InvalidCipherTextException {
      int i = next;
      next = (i + 1) & (SEALED - 1);
      byte[] p = sealed[i];
      gcm.init(false, params(nonces[i]));
      gcm.processAADBytes(p, 0, 8);
      int n = gcm.processBytes(p, PAYLOAD, length + 16, out, PAYLOAD);
      return n + gcm.doFinal(out, PAYLOAD + n);
    }
  }

  private static byte[] filled(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }
}
