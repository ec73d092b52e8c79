package org.ipsecemu.datapath.crypto;

/**
 * A keyed MAC for ESP and AH (HMAC-MD5-96, HMAC-SHA-1-96, HMAC-SHA-256-128): fed in pieces, its
 * output truncated to {@link #icvLength()} bytes (RFC 2404 §2, RFC 4868 §2.3), compared in constant
 * time.
 *
 * <p>Pieces let each protocol feed exactly what its RFC covers without copying:
 *
 * <ul>
 *   <li>ESP (RFC 4303 §3.3.4): {@code update(packet, spiOffset, lengthUpToIcv)}, then with extended
 *       sequence numbers {@code updateInt(seqHigh)} (§2.2.1: the high-order 32 bits are appended
 *       after the packet data, never sent), then {@link #finish} or {@link #verify}.
 *   <li>AH (RFC 4302 §3.3.3): the IP header with mutable fields zeroed (copy it to a scratch
 *       array), the AH header up to the ICV, {@code updateZeros(icvLength)} for the ICV field, the
 *       rest of the packet, then {@code updateInt(seqHigh)} for ESN (RFC 4302 §3.3.3.2.2).
 * </ul>
 *
 * <p>{@link #finish} and {@link #verify} reset the transform for the next packet; so does {@link
 * #reset()} after an abandoned packet. The MAC key is the same in both directions, so any direction
 * may compute and verify.
 */
public interface IntegrityTransform extends Transform {

  /** ICV bytes on the wire (the truncated MAC). */
  int icvLength();

  /** Full MAC output length before truncation. */
  int digestLength();

  /**
   * Feeds {@code buf[offset, offset+length)}.
   *
   * @throws IndexOutOfBoundsException when the range lies outside {@code buf}: the caller derives
   *     ranges from packet lengths it has already checked
   */
  void update(byte[] buf, int offset, int length);

  /** Feeds {@code count} zero bytes (AH's ICV field and zeroed mutable fields). */
  void updateZeros(int count);

  /** Feeds a 32-bit value big-endian (the ESN high-order sequence bits, RFC 4303 §2.2.1). */
  void updateInt(int value);

  /** Writes the ICV ({@link #icvLength()} bytes) at {@code out[offset]} and resets. */
  void finish(byte[] out, int offset);

  /**
   * Compares, in constant time, the ICV of the bytes fed so far with the {@link #icvLength()} bytes
   * at {@code icv[offset]}, and resets.
   *
   * @return false when they differ or the range lies outside {@code icv} (never throws on packet
   *     data)
   */
  boolean verify(byte[] icv, int offset);

  /** Forgets the bytes fed so far. */
  void reset();

  /** One-shot {@link #update} then {@link #finish}: the ESP case without ESN. */
  default void compute(byte[] buf, int offset, int length, byte[] out, int outOffset) {
    update(buf, offset, length);
    finish(out, outOffset);
  }

  /** One-shot {@link #update} then {@link #verify}: the ESP case without ESN. */
  default boolean verify(byte[] buf, int offset, int length, byte[] icv, int icvOffset) {
    update(buf, offset, length);
    return verify(icv, icvOffset);
  }
}
