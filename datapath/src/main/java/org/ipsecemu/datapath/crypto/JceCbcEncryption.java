package org.ipsecemu.datapath.crypto;

import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import org.ipsecemu.sadb.alg.Algorithm;

/**
 * AES-CBC, DES-CBC and 3DES-CBC with the JDK's JCE (SunJCE), initialised once and never again.
 *
 * <p>{@code Cipher.init} per packet would allocate (parameter objects, key copies) and redo setup,
 * so the CBC cipher is initialised once and the IV is fed <em>through the data stream</em>:
 *
 * <ul>
 *   <li>Decrypt: feeding the IV block first makes it the chaining value for the ciphertext that
 *       follows (CBC decryption of block i only needs ciphertext block i-1); the plaintext of that
 *       first block is junk and goes to scratch.
 *   <li>Encrypt: the cipher's chaining value is the last ciphertext block it produced, L. Feeding X
 *       = D(IV) xor L first makes it output E(X xor L) = IV, so the chaining value becomes the IV
 *       and the real plaintext follows. D(IV) takes one ECB block decryption (a second cipher).
 * </ul>
 *
 * One extra block per packet (about 1% of a 1400-byte packet). The JDK's {@code update} copies its
 * whole input into a new array when input and output overlap (JDK 17 {@code CipherCore}), so the
 * output goes to a scratch array owned by the transform and is copied back: no allocation.
 */
final class JceCbcEncryption extends AbstractTransform implements EncryptionTransform {
  private final int blockSize;
  private final IvGenerator ivs;
  private final JceKey jceKey;
  private Cipher cbc;
  private Cipher ecbDecrypt;

  /** Last ciphertext block the encrypting cipher produced (its chaining value). */
  private final byte[] chain;

  private final byte[] block;
  private final byte[] junk;

  JceCbcEncryption(Algorithm alg, byte[] key, Direction direction, IvGenerator ivs) {
    super(alg, direction, CryptoProvider.JCE, key);
    this.blockSize = alg.blockSize();
    this.ivs = ivs;
    String cipherName = jceName(alg);
    this.jceKey = new JceKey(cipherName, this.key, 0, this.key.length);
    this.chain = new byte[blockSize];
    this.block = new byte[blockSize];
    this.junk = new byte[blockSize];
    secrets(chain, block, junk);
    try {
      boolean out = direction == Direction.OUTBOUND;
      cbc = Cipher.getInstance(cipherName + "/CBC/NoPadding", "SunJCE");
      cbc.init(out ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, jceKey, new IvParameterSpec(chain));
      if (out) {
        ecbDecrypt = Cipher.getInstance(cipherName + "/ECB/NoPadding", "SunJCE");
        ecbDecrypt.init(Cipher.DECRYPT_MODE, jceKey);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JCE cannot set up " + alg.setkeyName(), e);
    }
  }

  static String jceName(Algorithm alg) {
    switch (alg) {
      case AES_CBC:
        return "AES";
      case DES_CBC:
        return "DES";
      case TRIPLE_DES_CBC:
        return "DESede";
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
    try {
      ecbDecrypt.update(iv, ivOffset, blockSize, block, 0);
      for (int i = 0; i < blockSize; i++) {
        block[i] ^= chain[i];
      }
      cbc.update(block, 0, blockSize, junk, 0); // junk == IV now; the chaining value is the IV
      if (length > 0) {
        byte[] out = scratch(length);
        cbc.update(buf, offset, length, out, 0);
        System.arraycopy(out, 0, buf, offset, length);
        System.arraycopy(buf, offset + length - blockSize, chain, 0, blockSize);
      } else {
        System.arraycopy(iv, ivOffset, chain, 0, blockSize);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JCE failed on " + algorithm().setkeyName(), e);
    }
  }

  @Override
  public boolean decrypt(byte[] iv, int ivOffset, byte[] buf, int offset, int length) {
    checkUsable(Direction.INBOUND);
    if (!inRange(iv, ivOffset, blockSize)
        || !inRange(buf, offset, length)
        || length % blockSize != 0) {
      return false;
    }
    try {
      cbc.update(iv, ivOffset, blockSize, junk, 0); // the IV becomes the chaining value
      if (length > 0) {
        byte[] out = scratch(length);
        cbc.update(buf, offset, length, out, 0);
        System.arraycopy(out, 0, buf, offset, length);
      }
      return true;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JCE failed on " + algorithm().setkeyName(), e);
    }
  }

  @Override
  void releaseLibraryState() {
    jceKey.destroy();
    cbc = null;
    ecbDecrypt = null;
  }

  JceKey jceKeyForTest() {
    return jceKey;
  }
}
