package org.ipsecemu.datapath.crypto;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * Where outbound IVs come from. Two kinds, as the modes need:
 *
 * <ul>
 *   <li>{@link #random()} / {@link #seeded(long)} for CBC, whose IV must be unpredictable (RFC 3602
 *       §2.1, RFC 2451 §3): the AES-CTR keystream of a generator key, fast and without allocation.
 *       {@code random()} keys it from {@link SecureRandom}; {@code seeded(seed)} derives the key
 *       from the seed, so a run can be repeated byte for byte (reproducible captures, tests). A
 *       seeded generator is predictable to whoever knows the seed: for emulation only.
 *   <li>{@link #counter(long)} for GCM, whose IV must never repeat under one key (RFC 4106 §3.1): a
 *       64-bit big-endian counter.
 * </ul>
 *
 * <p>Not thread-safe: each outbound transform owns its generator.
 */
public interface IvGenerator {

  /** Writes the next {@code length} IV bytes at {@code dst[offset]}. */
  void next(byte[] dst, int offset, int length);

  /** An unpredictable generator keyed from {@link SecureRandom}. */
  static IvGenerator random() {
    byte[] key = new byte[16];
    new SecureRandom().nextBytes(key);
    return new AesCtrIvGenerator(key);
  }

  /** A reproducible generator: the same seed gives the same IV sequence. */
  static IvGenerator seeded(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] key = new byte[16];
    r.nextBytes(key);
    return new AesCtrIvGenerator(key);
  }

  /**
   * A counter: {@code start}, {@code start + 1}, ... written big-endian into 8 bytes (shorter
   * requests take the low-order bytes, longer ones are zero-extended on the left). Throws {@link
   * IllegalStateException} rather than wrap around to {@code start}.
   */
  static IvGenerator counter(long start) {
    return new CounterIvGenerator(start);
  }

  /** A counter starting at a value from {@link SecureRandom} (so two SAs rarely share IVs). */
  static IvGenerator randomCounter() {
    return new CounterIvGenerator(new SecureRandom().nextLong());
  }

  /** A counter starting at a value derived from {@code seed} (reproducible). */
  static IvGenerator seededCounter(long seed) {
    return new CounterIvGenerator(new SplittableRandom(seed).nextLong());
  }
}
