package org.ipsecemu.datapath.crypto;

import java.util.Objects;
import org.bouncycastle.util.Arrays;
import org.ipsecemu.sadb.alg.Algorithm;

/**
 * The provider-independent half of an HMAC transform: truncation, constant-time verification, zero
 * and integer feeding. Subclasses only feed bytes and produce the full MAC.
 */
abstract class AbstractIntegrity extends AbstractTransform implements IntegrityTransform {
  private static final byte[] ZEROS = new byte[64];

  private final int icvLength;
  private final int digestLength;

  /** The full MAC of the current packet. */
  final byte[] fullMac;

  private final byte[] intBytes = new byte[4];

  AbstractIntegrity(
      Algorithm alg, byte[] key, Direction direction, CryptoProvider provider, int icvLength) {
    super(alg, direction, provider, key);
    this.digestLength = alg.digestLength();
    if (icvLength < 1 || icvLength > digestLength) {
      throw new IllegalArgumentException(
          "ICV length="
              + icvLength
              + " for "
              + alg.setkeyName()
              + " (expected: 1.."
              + digestLength
              + ")");
    }
    this.icvLength = icvLength;
    this.fullMac = new byte[digestLength];
    secrets(fullMac, intBytes);
  }

  @Override
  public final int icvLength() {
    return icvLength;
  }

  @Override
  public final int digestLength() {
    return digestLength;
  }

  @Override
  public final void update(byte[] buf, int offset, int length) {
    checkUsable(null);
    Objects.checkFromIndexSize(offset, length, buf.length);
    feed(buf, offset, length);
  }

  @Override
  public final void updateZeros(int count) {
    checkUsable(null);
    if (count < 0) {
      throw new IllegalArgumentException("count=" + count);
    }
    for (int left = count; left > 0; left -= ZEROS.length) {
      feed(ZEROS, 0, Math.min(left, ZEROS.length));
    }
  }

  @Override
  public final void updateInt(int value) {
    checkUsable(null);
    intBytes[0] = (byte) (value >>> 24);
    intBytes[1] = (byte) (value >>> 16);
    intBytes[2] = (byte) (value >>> 8);
    intBytes[3] = (byte) value;
    feed(intBytes, 0, 4);
  }

  @Override
  public final void finish(byte[] out, int offset) {
    checkUsable(null);
    Objects.checkFromIndexSize(offset, icvLength, out.length);
    macInto(fullMac);
    System.arraycopy(fullMac, 0, out, offset, icvLength);
  }

  @Override
  public final boolean verify(byte[] icv, int offset) {
    checkUsable(null);
    macInto(fullMac); // always, so the transform is reset whatever the outcome
    if (!inRange(icv, offset, icvLength)) {
      return false;
    }
    return Arrays.constantTimeAreEqual(icvLength, fullMac, 0, icv, offset);
  }

  @Override
  public final void reset() {
    checkUsable(null);
    resetMac();
  }

  /** Feeds bytes to the MAC. */
  abstract void feed(byte[] buf, int offset, int length);

  /** Writes the full MAC into {@code out} (length {@link #digestLength()}) and resets the MAC. */
  abstract void macInto(byte[] out);

  abstract void resetMac();
}
