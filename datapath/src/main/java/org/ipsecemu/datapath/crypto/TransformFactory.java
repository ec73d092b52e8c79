package org.ipsecemu.datapath.crypto;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongFunction;
import org.ipsecemu.sadb.alg.Algorithm;
import org.ipsecemu.sadb.alg.AlgorithmKind;

/**
 * Builds the transform for one SA and direction from its algorithm and key: call once when the SA
 * is added, keep the transform with the SA, {@link Transform#destroy()} it when the SA goes.
 *
 * <p>Which library serves which algorithm is the table in {@link #defaultProvider(Algorithm)},
 * chosen by measurement (package documentation); {@link #withProvider} overrides one entry, for
 * benchmarks and cross-checks.
 *
 * <p>Keys are checked only for what the primitive needs: exact lengths for the ciphers (AES 16/24/
 * 32 bytes, DES 8, 3DES 24, AES-GCM 20/28/36 with the salt), any non-empty key for HMAC (RFC 2104).
 * The IPsec key-length and weak-key rules belong to the Key Engine ({@code
 * org.ipsecemu.sadb.alg.KeyChecks}), which runs before this. Error messages never show key bytes.
 *
 * <p>Outbound IVs come from an {@link IvGenerator} per transform: by default an unpredictable one
 * (CBC) or a counter with a random start (GCM). {@link #deterministic(long)} makes every generator
 * a function of a seed and the order of creation, for reproducible output; or pass a generator
 * explicitly.
 *
 * <p>Immutable and thread-safe; the transforms it makes are not (see {@link Transform}).
 */
public final class TransformFactory {

  private final Map<Algorithm, CryptoProvider> providers;
  private final Long seed;
  private final java.util.concurrent.atomic.AtomicLong created;

  private TransformFactory(Map<Algorithm, CryptoProvider> providers, Long seed) {
    this.providers = providers;
    this.seed = seed;
    this.created = new java.util.concurrent.atomic.AtomicLong();
  }

  /** The measured provider choice and unpredictable IVs. */
  public static TransformFactory standard() {
    return new TransformFactory(defaults(), null);
  }

  /**
   * The measured provider choice and reproducible IVs: the n-th outbound transform this factory
   * creates gets generators seeded from {@code seed} and n. Same seed and same order of SA creation
   * give byte-identical output.
   */
  public static TransformFactory deterministic(long seed) {
    return new TransformFactory(defaults(), seed);
  }

  /** A copy of this factory that builds {@code alg} with {@code provider}. */
  public TransformFactory withProvider(Algorithm alg, CryptoProvider provider) {
    Objects.requireNonNull(provider, "provider");
    if (alg == Algorithm.NULL ? provider != CryptoProvider.NONE : provider == CryptoProvider.NONE) {
      throw new IllegalArgumentException(
          "provider=" + provider + " cannot serve " + alg.setkeyName());
    }
    Map<Algorithm, CryptoProvider> copy = new EnumMap<>(providers);
    copy.put(alg, provider);
    return new TransformFactory(copy, seed);
  }

  /** The provider this factory uses for {@code alg}. */
  public CryptoProvider providerFor(Algorithm alg) {
    return providers.get(alg);
  }

  /**
   * The measured choice, one line per algorithm (numbers in the package documentation): JCE
   * wherever the JDK's intrinsics win (AES, GHASH, SHA-1, SHA-256, MD5), Bouncy Castle for DES and
   * 3DES, where both are equally slow and Bouncy Castle's CBC needs no tricks.
   */
  public static CryptoProvider defaultProvider(Algorithm alg) {
    switch (alg) {
      case HMAC_MD5_96:
      case HMAC_SHA1_96:
      case HMAC_SHA2_256_128:
        return CryptoProvider.JCE;
      case AES_CBC:
        return CryptoProvider.JCE;
      case DES_CBC:
      case TRIPLE_DES_CBC:
        return CryptoProvider.BOUNCY_CASTLE;
      case AES_GCM_16:
        return CryptoProvider.JCE;
      case NULL:
        return CryptoProvider.NONE;
      default:
        throw new IllegalArgumentException("no provider for " + alg);
    }
  }

  private static Map<Algorithm, CryptoProvider> defaults() {
    Map<Algorithm, CryptoProvider> m = new EnumMap<>(Algorithm.class);
    for (Algorithm a : Algorithm.values()) {
      m.put(a, defaultProvider(a));
    }
    return m;
  }

  // ---- encryption ----

  /** An encryption transform (CBC or NULL) with this factory's IV policy. */
  public EncryptionTransform encryption(Algorithm alg, byte[] key, Direction direction) {
    return encryption(alg, key, direction, ivGenerator(IvGenerator::seeded, false));
  }

  /** An encryption transform (CBC or NULL) with the given outbound IV generator. */
  public EncryptionTransform encryption(
      Algorithm alg, byte[] key, Direction direction, IvGenerator ivs) {
    requireKind(alg, AlgorithmKind.ENCRYPTION);
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(ivs, "ivs");
    if (alg == Algorithm.NULL) {
      if (key != null && key.length != 0) {
        throw new IllegalArgumentException("null encryption takes no key: bytes=" + key.length);
      }
      return new NullEncryption(direction);
    }
    requireKeyBytes(alg, key);
    return providerFor(alg) == CryptoProvider.JCE
        ? new JceCbcEncryption(alg, key, direction, ivs)
        : new BcCbcEncryption(alg, key, direction, ivs);
  }

  // ---- integrity ----

  /** An integrity transform with the algorithm's own ICV length ({@link Algorithm#icvLength()}). */
  public IntegrityTransform integrity(Algorithm alg, byte[] key, Direction direction) {
    return integrity(alg, key, direction, alg.icvLength());
  }

  /**
   * An integrity transform truncating to {@code icvLength} bytes (1..digest length): for SAs that
   * set it explicitly, like {@code ip xfrm ... auth-trunc 'hmac(sha256)' KEY 96} or Linux's PF_KEY
   * HMAC-SHA-256 with a 12-byte ICV (see {@link Algorithm#HMAC_SHA2_256_128}).
   */
  public IntegrityTransform integrity(
      Algorithm alg, byte[] key, Direction direction, int icvLength) {
    requireKind(alg, AlgorithmKind.INTEGRITY);
    Objects.requireNonNull(direction, "direction");
    if (key == null || key.length == 0) {
      throw new IllegalArgumentException("empty key for " + alg.setkeyName());
    }
    return providerFor(alg) == CryptoProvider.JCE
        ? new JceHmacIntegrity(alg, key, direction, icvLength)
        : new BcHmacIntegrity(alg, key, direction, icvLength);
  }

  // ---- combined mode ----

  /** A combined-mode transform (AES-GCM-16) with this factory's IV policy. */
  public AeadTransform aead(Algorithm alg, byte[] key, Direction direction) {
    return aead(alg, key, direction, ivGenerator(IvGenerator::seededCounter, true));
  }

  /** A combined-mode transform (AES-GCM-16) with the given outbound IV generator. */
  public AeadTransform aead(Algorithm alg, byte[] key, Direction direction, IvGenerator ivs) {
    requireKind(alg, AlgorithmKind.COMBINED);
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(ivs, "ivs");
    requireKeyBytes(alg, key);
    return providerFor(alg) == CryptoProvider.JCE
        ? new JceGcmAead(alg, key, direction, ivs)
        : new BcGcmAead(alg, key, direction, ivs);
  }

  private IvGenerator ivGenerator(LongFunction<IvGenerator> seeded, boolean counter) {
    if (seed == null) {
      return counter ? IvGenerator.randomCounter() : IvGenerator.random();
    }
    long n = created.getAndIncrement();
    return seeded.apply(seed * 0x9E3779B97F4A7C15L + n);
  }

  private static void requireKind(Algorithm alg, AlgorithmKind kind) {
    Objects.requireNonNull(alg, "algorithm");
    if (alg.kind() != kind) {
      throw new IllegalArgumentException(
          "algorithm " + alg.setkeyName() + " is " + alg.kind() + ", not " + kind);
    }
  }

  private static void requireKeyBytes(Algorithm alg, byte[] key) {
    int bits = key == null ? 0 : key.length * 8;
    if (!alg.allowsKeyBits(bits)) {
      throw new IllegalArgumentException(
          "bad key length alg=" + alg.setkeyName() + " bits=" + bits);
    }
  }

  @Override
  public String toString() {
    return "TransformFactory[" + providers + (seed == null ? "" : " deterministic") + "]";
  }
}
