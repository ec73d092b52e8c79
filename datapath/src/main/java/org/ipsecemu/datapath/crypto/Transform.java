package org.ipsecemu.datapath.crypto;

import org.ipsecemu.sadb.alg.Algorithm;

/**
 * A cryptographic transform bound to one SA and one direction: created once with the SA's key (the
 * key schedule runs once), then reused for every packet without allocating.
 *
 * <p><b>Not thread-safe, by design:</b> a transform holds per-packet scratch state, and one SA's
 * direction is processed by one thread at a time. Share nothing; create one per SA and direction.
 *
 * <p>{@link #destroy()} zeroes the key copies and scratch arrays this object owns and makes every
 * later use throw {@link IllegalStateException}; the Key Engine calls it when the SA is deleted or
 * expires. Key material never appears in {@link #toString()}.
 */
public interface Transform extends AutoCloseable {

  /** The algorithm this transform implements. */
  Algorithm algorithm();

  /** The direction it was built for. */
  Direction direction();

  /** The library doing the work. */
  CryptoProvider provider();

  /**
   * Zeroes the key copies and scratch arrays held by this object and drops the library objects
   * holding the expanded key. Idempotent. Java cannot promise that no other copy survives: the
   * libraries' own expanded keys are left to the garbage collector, not overwritten.
   */
  void destroy();

  /** True once {@link #destroy()} has run. */
  boolean isDestroyed();

  /** Same as {@link #destroy()}. */
  @Override
  default void close() {
    destroy();
  }
}
