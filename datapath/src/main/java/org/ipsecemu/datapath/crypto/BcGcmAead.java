package org.ipsecemu.datapath.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.ipsecemu.sadb.alg.Algorithm;

/**
 * AES-GCM-16 for ESP with Bouncy Castle's lightweight API.
 *
 * <p>The key (and GHASH tables) are set once; per packet {@code init} gets a {@code null} key and a
 * new nonce, which keeps the tables. The nonce goes into the array of one of two reusable {@link
 * ParametersWithIV}, used in turn: Bouncy Castle remembers the previous nonce <em>by reference</em>
 * to refuse a reuse, so one shared array would look reused every time. Bouncy Castle's GCM itself
 * still allocates a few small arrays per packet (in {@code init} and {@code doFinal}).
 */
final class BcGcmAead extends AbstractGcm {
  private GCMModeCipher gcm;
  private KeyParameter keyParameter;
  private final ParametersWithIV[] params = new ParametersWithIV[2];
  private int turn;

  /** Tail of a seal: the last partial block (< 16 bytes) then the 16-byte tag. */
  private final byte[] tail = new byte[32];

  BcGcmAead(Algorithm alg, byte[] key, Direction direction, IvGenerator ivs) {
    super(alg, key, direction, CryptoProvider.BOUNCY_CASTLE, ivs);
    this.gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
    this.keyParameter = new KeyParameter(this.key, 0, aesKeyLength);
    params[0] = new ParametersWithIV(null, new byte[NONCE_LENGTH]);
    params[1] = new ParametersWithIV(null, new byte[NONCE_LENGTH]);
    secrets(tail, params[0].getIV(), params[1].getIV());
    // Key set-up. Bouncy Castle remembers this nonce too; a 16-byte one can never equal a real
    // 12-byte ESP nonce, so the first packet is never mistaken for a reuse.
    gcm.init(false, new AEADParameters(keyParameter, 128, new byte[16]));
  }

  private ParametersWithIV next(byte[] iv, int ivOffset) {
    ParametersWithIV p = params[turn];
    turn ^= 1;
    nonce(p.getIV(), iv, ivOffset);
    return p;
  }

  @Override
  void doSeal(
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
    gcm.init(true, next(iv, ivOffset));
    gcm.processAADBytes(aad, aadOffset, aadLength);
    int done = gcm.processBytes(buf, offset, length, buf, offset);
    int rest = length - done;
    try {
      gcm.doFinal(tail, 0);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("GCM seal failed", e); // cannot happen when encrypting
    }
    System.arraycopy(tail, 0, buf, offset + done, rest);
    System.arraycopy(tail, rest, icv, icvOffset, icvLength());
  }

  @Override
  boolean doOpen(
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
    gcm.init(false, next(iv, ivOffset));
    gcm.processAADBytes(aad, aadOffset, aadLength);
    int done = gcm.processBytes(buf, offset, length, buf, offset);
    done += gcm.processBytes(icv, icvOffset, icvLength(), buf, offset + done);
    try {
      gcm.doFinal(buf, offset + done);
      return true;
    } catch (InvalidCipherTextException e) {
      return false; // "mac check in GCM failed": compared in constant time by Bouncy Castle
    }
  }

  @Override
  void releaseLibraryState() {
    Arrays.fill(keyParameter.getKey(), (byte) 0);
    keyParameter = null;
    gcm = null;
  }
}
