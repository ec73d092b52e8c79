package org.ipsecemu.datapath.crypto;

import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * IVs from the AES-CTR keystream of a private generator key: one AES block per IV (up to 16 bytes),
 * no allocation. Unpredictable to anyone without the generator key.
 */
final class AesCtrIvGenerator implements IvGenerator {
  private final BlockCipher aes = AESEngine.newInstance();
  private final byte[] counter = new byte[16];
  private final byte[] block = new byte[16];

  AesCtrIvGenerator(byte[] key) {
    aes.init(true, new KeyParameter(key));
    java.util.Arrays.fill(key, (byte) 0);
  }

  @Override
  public void next(byte[] dst, int offset, int length) {
    if (length < 0 || length > 16) {
      throw new IllegalArgumentException("IV length=" + length + " (expected: 0..16)");
    }
    java.util.Objects.checkFromIndexSize(offset, length, dst.length);
    aes.processBlock(counter, 0, block, 0);
    System.arraycopy(block, 0, dst, offset, length);
    for (int i = 15; i >= 0 && ++counter[i] == 0; i--) {
      // carry
    }
  }

  @Override
  public String toString() {
    return "IvGenerator[aes-ctr]";
  }
}
