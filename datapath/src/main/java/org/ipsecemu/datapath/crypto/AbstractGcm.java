package org.ipsecemu.datapath.crypto;

import java.util.Objects;
import org.ipsecemu.sadb.alg.Algorithm;

/**
 * The provider-independent half of AES-GCM in ESP (RFC 4106): salt handling, nonce assembly, the
 * IV-reuse guard, range checks. Subclasses run the cipher.
 */
abstract class AbstractGcm extends AbstractTransform implements AeadTransform {
  static final int SALT_LENGTH = 4;
  static final int IV_LENGTH = 8;
  static final int NONCE_LENGTH = SALT_LENGTH + IV_LENGTH;

  private final int icvLength;
  private final IvGenerator ivs;

  /** Length of the AES key at the start of the key material; the salt follows it. */
  final int aesKeyLength;

  /** The IV of the previous seal, to refuse an immediate reuse. */
  private final byte[] lastIv = new byte[IV_LENGTH];

  private boolean sealedBefore;

  AbstractGcm(
      Algorithm alg, byte[] key, Direction direction, CryptoProvider provider, IvGenerator ivs) {
    super(alg, direction, provider, key);
    this.icvLength = alg.icvLength();
    this.ivs = ivs;
    this.aesKeyLength = key.length - SALT_LENGTH;
    secrets(lastIv);
  }

  /** Writes salt || IV into a 12-byte nonce array. */
  final void nonce(byte[] nonce, byte[] iv, int ivOffset) {
    System.arraycopy(key, aesKeyLength, nonce, 0, SALT_LENGTH);
    System.arraycopy(iv, ivOffset, nonce, SALT_LENGTH, IV_LENGTH);
  }

  @Override
  public final int ivLength() {
    return IV_LENGTH;
  }

  @Override
  public final int icvLength() {
    return icvLength;
  }

  @Override
  public final void nextIv(byte[] dst, int offset) {
    checkUsable(Direction.OUTBOUND);
    ivs.next(dst, offset, IV_LENGTH);
  }

  @Override
  public final void seal(
      byte[] aad,
      int aadOffset,
      int aadLength,
      byte[] iv,
      int ivOffset,
      byte[] buf,
      int offset,
      int length,
      byte[] icv,
      int icvOffset) {
    checkUsable(Direction.OUTBOUND);
    Objects.checkFromIndexSize(aadOffset, aadLength, aad.length);
    Objects.checkFromIndexSize(ivOffset, IV_LENGTH, iv.length);
    Objects.checkFromIndexSize(offset, length, buf.length);
    Objects.checkFromIndexSize(icvOffset, icvLength, icv.length);
    if (sealedBefore
        && java.util.Arrays.equals(lastIv, 0, IV_LENGTH, iv, ivOffset, ivOffset + IV_LENGTH)) {
      throw new IllegalStateException("GCM IV reused under one key: " + this);
    }
    System.arraycopy(iv, ivOffset, lastIv, 0, IV_LENGTH);
    sealedBefore = true;
    doSeal(aad, aadOffset, aadLength, iv, ivOffset, buf, offset, length, icv, icvOffset);
  }

  @Override
  public final boolean open(
      byte[] aad,
      int aadOffset,
      int aadLength,
      byte[] iv,
      int ivOffset,
      byte[] buf,
      int offset,
      int length,
      byte[] icv,
      int icvOffset) {
    checkUsable(Direction.INBOUND);
    if (!inRange(aad, aadOffset, aadLength)
        || !inRange(iv, ivOffset, IV_LENGTH)
        || !inRange(buf, offset, length)
        || !inRange(icv, icvOffset, icvLength)) {
      return false;
    }
    return doOpen(aad, aadOffset, aadLength, iv, ivOffset, buf, offset, length, icv, icvOffset);
  }

  abstract void doSeal(
      byte[] aad,
      int aadOffset,
      int aadLength,
      byte[] iv,
      int ivOffset,
      byte[] buf,
      int offset,
      int length,
      byte[] icv,
      int icvOffset);

  abstract boolean doOpen(
      byte[] aad,
      int aadOffset,
      int aadLength,
      byte[] iv,
      int ivOffset,
      byte[] buf,
      int offset,
      int length,
      byte[] icv,
      int icvOffset);
}
