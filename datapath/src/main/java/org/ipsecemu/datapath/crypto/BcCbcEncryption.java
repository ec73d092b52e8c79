package org.ipsecemu.datapath.crypto;

import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.modes.CBCModeCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.ipsecemu.sadb.alg.Algorithm;

/**
 * AES-CBC, DES-CBC and 3DES-CBC with Bouncy Castle's lightweight API.
 *
 * <p>The key schedule runs once, in the constructor. Per packet only the IV changes: the IV is
 * copied into the array of one {@link ParametersWithIV} kept for the purpose ({@code getIV()}
 * returns Bouncy Castle's own array) and {@code init} is called with a {@code null} key, which
 * keeps the schedule and allocates nothing. Blocks go through {@code processBlock} one by one
 * because {@code processBlocks} copies its input when working in place.
 */
final class BcCbcEncryption extends AbstractTransform implements EncryptionTransform {
  private final int blockSize;
  private final boolean encrypting;
  private final IvGenerator ivs;
  private KeyParameter keyParameter;
  private CBCModeCipher cbc;
  private final ParametersWithIV perPacket;
  private final byte[] ivSlot;

  BcCbcEncryption(Algorithm alg, byte[] key, Direction direction, IvGenerator ivs) {
    super(alg, direction, CryptoProvider.BOUNCY_CASTLE, key);
    this.blockSize = alg.blockSize();
    this.encrypting = direction == Direction.OUTBOUND;
    this.ivs = ivs;
    this.cbc = CBCBlockCipher.newInstance(engine(alg));
    this.keyParameter = new KeyParameter(this.key);
    cbc.init(encrypting, new ParametersWithIV(keyParameter, new byte[blockSize]));
    this.perPacket = new ParametersWithIV(null, new byte[blockSize]);
    this.ivSlot = perPacket.getIV();
    secrets(ivSlot);
  }

  static BlockCipher engine(Algorithm alg) {
    switch (alg) {
      case AES_CBC:
        return AESEngine.newInstance();
      case DES_CBC:
        return new DESEngine();
      case TRIPLE_DES_CBC:
        return new TripleDesEngine();
      default:
        throw new IllegalArgumentException("not a CBC cipher: " + alg);
    }
  }

  @Override
  public int ivLength() {
    return blockSize;
  }

  @Override
  public int blockSize() {
    return blockSize;
  }

  @Override
  public void nextIv(byte[] dst, int offset) {
    checkUsable(Direction.OUTBOUND);
    ivs.next(dst, offset, blockSize);
  }

  @Override
  public void encrypt(byte[] iv, int ivOffset, byte[] buf, int offset, int length) {
    checkUsable(Direction.OUTBOUND);
    Objects.checkFromIndexSize(ivOffset, blockSize, iv.length);
    Objects.checkFromIndexSize(offset, length, buf.length);
    if (length % blockSize != 0) {
      throw new IllegalArgumentException(
          "plaintext length=" + length + " is not a multiple of block size=" + blockSize);
    }
    process(iv, ivOffset, buf, offset, length);
  }

  @Override
  public boolean decrypt(byte[] iv, int ivOffset, byte[] buf, int offset, int length) {
    checkUsable(Direction.INBOUND);
    if (!inRange(iv, ivOffset, blockSize)
        || !inRange(buf, offset, length)
        || length % blockSize != 0) {
      return false;
    }
    process(iv, ivOffset, buf, offset, length);
    return true;
  }

  private void process(byte[] iv, int ivOffset, byte[] buf, int offset, int length) {
    System.arraycopy(iv, ivOffset, ivSlot, 0, blockSize);
    cbc.init(encrypting, perPacket);
    for (int i = offset, end = offset + length; i < end; i += blockSize) {
      cbc.processBlock(buf, i, buf, i);
    }
  }

  @Override
  void releaseLibraryState() {
    Arrays.fill(keyParameter.getKey(), (byte) 0);
    keyParameter = null;
    cbc = null;
  }
}
