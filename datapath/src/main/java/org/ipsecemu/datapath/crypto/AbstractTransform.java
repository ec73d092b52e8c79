package org.ipsecemu.datapath.crypto;

import java.util.Arrays;
import java.util.Objects;
import org.ipsecemu.sadb.alg.Algorithm;

/**
 * What every transform shares: its identity, its own copy of the key, the secret scratch arrays
 * {@link #destroy()} must zero, direction checks, and a {@code toString} without secrets.
 */
abstract class AbstractTransform implements Transform {
  private final Algorithm algorithm;
  private final Direction direction;
  private final CryptoProvider provider;

  /** This transform's own copy of the key material (zeroed by destroy). */
  final byte[] key;

  private byte[][] secrets = new byte[0][];
  private byte[] scratch = new byte[0];
  private boolean destroyed;

  AbstractTransform(Algorithm algorithm, Direction direction, CryptoProvider provider, byte[] key) {
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.direction = Objects.requireNonNull(direction, "direction");
    this.provider = provider;
    this.key = key.clone();
  }

  /** Registers arrays that may hold key-dependent data, to be zeroed with the key. */
  final void secrets(byte[]... arrays) {
    byte[][] all = Arrays.copyOf(secrets, secrets.length + arrays.length);
    System.arraycopy(arrays, 0, all, secrets.length, arrays.length);
    secrets = all;
  }

  /**
   * A work array of at least {@code length} bytes, kept between packets (for libraries that copy
   * when input and output overlap). Grows, zeroing the old array, only for a bigger packet than any
   * before, so steady state allocates nothing.
   */
  final byte[] scratch(int length) {
    if (scratch.length < length) {
      Arrays.fill(scratch, (byte) 0);
      scratch = new byte[Math.max(length, 2048)];
    }
    return scratch;
  }

  @Override
  public final Algorithm algorithm() {
    return algorithm;
  }

  @Override
  public final Direction direction() {
    return direction;
  }

  @Override
  public final CryptoProvider provider() {
    return provider;
  }

  @Override
  public final void destroy() {
    if (destroyed) {
      return;
    }
    destroyed = true;
    releaseLibraryState();
    Arrays.fill(key, (byte) 0);
    Arrays.fill(scratch, (byte) 0);
    for (byte[] s : secrets) {
      Arrays.fill(s, (byte) 0);
    }
  }

  /**
   * Overwrites what the library lets us overwrite (Bouncy Castle's {@code KeyParameter} copies) and
   * drops references to library objects holding expanded keys.
   */
  abstract void releaseLibraryState();

  @Override
  public final boolean isDestroyed() {
    return destroyed;
  }

  /** The key copy and scratch arrays, for tests that check destroy() zeroes them. */
  final byte[][] secretArraysForTest() {
    byte[][] all = Arrays.copyOf(secrets, secrets.length + 2);
    all[secrets.length] = key;
    all[secrets.length + 1] = scratch;
    return all;
  }

  final void checkUsable(Direction required) {
    if (destroyed) {
      throw new IllegalStateException("transform destroyed: " + this);
    }
    if (required != null && direction != required) {
      throw new IllegalStateException(
          "wrong direction: " + this + " cannot be used " + required.name().toLowerCase());
    }
  }

  static boolean inRange(byte[] a, int offset, int length) {
    return a != null && offset >= 0 && length >= 0 && offset <= a.length - length;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "[alg="
        + algorithm.setkeyName()
        + " dir="
        + direction
        + " provider="
        + provider
        + (destroyed ? " destroyed" : "")
        + "]";
  }
}
