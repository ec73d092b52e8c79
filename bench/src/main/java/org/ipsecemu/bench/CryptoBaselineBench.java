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
import org.ipsecemu.datapath.crypto.CryptoProvider;
import org.ipsecemu.datapath.crypto.TransformFactory;
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
 * DESEngine}, {@code DESedeEngine}, {@code HMac} and {@code GCMBlockCipher}; {@code datapath} picks
 * one of the two for the cipher and for the MAC as the datapath does.
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

  /**
   * {@code jce} (SunJCE), {@code bc} (Bouncy Castle lightweight API), or {@code datapath}: for the
   * cipher and for the MAC each, the library the datapath uses ({@link
   * TransformFactory#defaultProvider}), the like-for-like limit of the ESP and AH figures.
   */
  @Param({"jce", "bc", "datapath"})
  public String provider;

  /** Payload bytes, as in {@link EspBench}. */
  @Param({"64", "512", "1400"})
  public int size;

  private Primitive primitive;

  @Setup(Level.Trial)
  public void setUp() throws GeneralSecurityException {
    Lab.Suite suite = Lab.Suite.parse(alg);
    Algorithm enc = suite.encryption();
    boolean jceCipher = enc != null && jce(enc);
    if (enc == Algorithm.AES_GCM_16) {
      primitive = jceCipher ? new JceGcm(suite, size) : new BcGcm(suite, size);
    } else {
      primitive = new CbcHmac(suite, size, jceCipher, jce(suite.integrity()));
    }
  }

  /** Whether {@code alg} runs on the JCE in this trial. */
  private boolean jce(Algorithm alg) {
    return switch (provider) {
      case "jce" -> true;
      case "bc" -> false;
      case "datapath" -> TransformFactory.defaultProvider(alg) != CryptoProvider.BOUNCY_CASTLE;
      default -> throw new IllegalArgumentException("provider=" + provider);
    };
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
   * CBC and HMAC in the ESP or AH byte layout: [covered prefix | ciphertext | ICV]. ESP: prefix =
   * SPI, sequence number, IV. AH: no cipher, the MAC covers {@code size + 44}.
   */
  private static final class CbcHmac extends Primitive {
    private final int cipherOffset;
    private final int cipherLength;
    private final int macLength;
    private final int icvLength;
    private final byte[] in;
    private final byte[] out;
    private final Cbc encrypt;
    private final Cbc decrypt;
    private final Hmac hmac;

    CbcHmac(Lab.Suite suite, int size, boolean jceCipher, boolean jceMac)
        throws GeneralSecurityException {
      Algorithm enc = suite.encryption();
      boolean cipher = enc != null && enc != Algorithm.NULL;
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
      encrypt = !cipher ? null : jceCipher ? new JceCbc(suite, true) : new BcCbc(suite, true);
      decrypt = !cipher ? null : jceCipher ? new JceCbc(suite, false) : new BcCbc(suite, false);
      hmac = jceMac ? new JceHmac(suite) : new BcHmac(suite);
    }

    @Override
    int outbound() throws GeneralSecurityException {
      byte[] covered = in;
      if (encrypt != null) {
        encrypt.process(in, cipherOffset, cipherLength, out);
        covered = out;
      }
      hmac.mac(covered, macLength);
      System.arraycopy(hmac.mac, 0, out, macLength, icvLength);
      return out[macLength];
    }

    @Override
    int inbound() throws GeneralSecurityException {
      hmac.mac(in, macLength);
      boolean ok = Arrays.constantTimeAreEqual(icvLength, hmac.mac, 0, in, macLength);
      if (decrypt != null) {
        decrypt.process(in, cipherOffset, cipherLength, out);
      }
      return (ok ? 1 : 0) + out[cipherOffset];
    }
  }

  /** A CBC cipher keyed once, chaining on from packet to packet. */
  private interface Cbc {
    /** {@code in[offset, offset+length)} to the same range of {@code out}. */
    void process(byte[] in, int offset, int length, byte[] out) throws GeneralSecurityException;
  }

  private static final class JceCbc implements Cbc {
    private final Cipher cipher;

    JceCbc(Lab.Suite suite, boolean encrypt) throws GeneralSecurityException {
      Algorithm enc = suite.encryption();
      String name =
          switch (enc) {
            case AES_CBC -> "AES";
            case DES_CBC -> "DES";
            case TRIPLE_DES_CBC -> "DESede";
            default -> throw new IllegalArgumentException(enc.toString());
          };
      cipher = Cipher.getInstance(name + "/CBC/NoPadding", "SunJCE");
      cipher.init(
          encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE,
          new SecretKeySpec(suite.encryptionKey(), name),
          new IvParameterSpec(new byte[enc.blockSize()]));
    }

    @Override
    public void process(byte[] in, int offset, int length, byte[] out)
        throws GeneralSecurityException {
      cipher.update(in, offset, length, out, offset);
    }
  }

  private static final class BcCbc implements Cbc {
    private final CBCModeCipher cipher;
    private final int blockSize;

    BcCbc(Lab.Suite suite, boolean encrypt) {
      Algorithm enc = suite.encryption();
      BlockCipher engine =
          switch (enc) {
            case AES_CBC -> AESEngine.newInstance();
            case DES_CBC -> new DESEngine();
            case TRIPLE_DES_CBC -> new DESedeEngine();
            default -> throw new IllegalArgumentException(enc.toString());
          };
      cipher = CBCBlockCipher.newInstance(engine);
      cipher.init(
          encrypt,
          new ParametersWithIV(new KeyParameter(suite.encryptionKey()), new byte[enc.blockSize()]));
      blockSize = enc.blockSize();
    }

    @Override
    public void process(byte[] in, int offset, int length, byte[] out) {
      int end = offset + length;
      for (int i = offset; i < end; i += blockSize) {
        cipher.processBlock(in, i, out, i);
      }
    }
  }

  /** An HMAC that leaves the full MAC of each call in {@link #mac}. */
  private abstract static class Hmac {
    final byte[] mac;

    Hmac(Lab.Suite suite) {
      mac = new byte[suite.integrity().digestLength()];
    }

    abstract void mac(byte[] in, int length) throws GeneralSecurityException;
  }

  /** {@code javax.crypto.Mac}, the JDK's own HMAC (its {@code doFinal} allocates its result). */
  private static final class JceHmac extends Hmac {
    private final Mac hmac;

    JceHmac(Lab.Suite suite) throws GeneralSecurityException {
      super(suite);
      String name = suite.integrity() == Algorithm.HMAC_MD5_96 ? "HmacMD5" : "HmacSHA1";
      hmac = Mac.getInstance(name, "SunJCE");
      hmac.init(new SecretKeySpec(suite.integrityKey(), name));
    }

    @Override
    void mac(byte[] in, int length) throws GeneralSecurityException {
      hmac.update(in, 0, length);
      hmac.doFinal(mac, 0);
    }
  }

  private static final class BcHmac extends Hmac {
    private final HMac hmac;

    BcHmac(Lab.Suite suite) {
      super(suite);
      Digest digest =
          suite.integrity() == Algorithm.HMAC_MD5_96 ? new MD5Digest() : new SHA1Digest();
      hmac = new HMac(digest);
      hmac.init(new KeyParameter(suite.integrityKey()));
    }

    @Override
    void mac(byte[] in, int length) {
      hmac.update(in, 0, length);
      hmac.doFinal(mac, 0);
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
