package org.ipsecemu.datapath.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.ipsecemu.sadb.alg.Algorithm;

/**
 * AES-GCM-16 for ESP with the JDK's JCE (SunJCE, AES-NI and carry-less multiply intrinsics).
 *
 * <p>The JCE offers no way to change a GCM nonce without {@code Cipher.init}, which allocates a
 * {@link GCMParameterSpec} and some internal state per packet. Everything else avoids the JDK's
 * copies: output goes to a scratch array owned by the transform (the JDK copies its input when
 * input and output overlap), and when the ICV directly follows the ciphertext, as in ESP,
 * ciphertext and ICV go to one {@code doFinal} so the JDK need not buffer them. The tag is checked
 * <em>before</em> plaintext is copied back, so a failed {@link #open} leaves the buffer untouched.
 */
final class JceGcmAead extends AbstractGcm {
  private static final int TAG_BITS = 128;

  private final JceKey jceKey;
  private Cipher gcm;
  private final byte[] nonce = new byte[NONCE_LENGTH];

  JceGcmAead(Algorithm alg, byte[] key, Direction direction, IvGenerator ivs) {
    super(alg, key, direction, CryptoProvider.JCE, ivs);
    this.jceKey = new JceKey("AES", this.key, 0, aesKeyLength);
    secrets(nonce);
    try {
      this.gcm = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JCE cannot set up " + alg.setkeyName(), e);
    }
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
    nonce(nonce, iv, ivOffset);
    byte[] out = scratch(length + icvLength());
    try {
      gcm.init(Cipher.ENCRYPT_MODE, jceKey, new GCMParameterSpec(TAG_BITS, nonce));
      gcm.updateAAD(aad, aadOffset, aadLength);
      gcm.doFinal(buf, offset, length, out, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JCE GCM seal failed", e);
    }
    System.arraycopy(out, 0, buf, offset, length);
    System.arraycopy(out, length, icv, icvOffset, icvLength());
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
    nonce(nonce, iv, ivOffset);
    byte[] out = scratch(length + icvLength());
    try {
      gcm.init(Cipher.DECRYPT_MODE, jceKey, new GCMParameterSpec(TAG_BITS, nonce));
      gcm.updateAAD(aad, aadOffset, aadLength);
      if (icv == buf && icvOffset == offset + length) {
        gcm.doFinal(buf, offset, length + icvLength(), out, 0);
      } else {
        gcm.update(buf, offset, length, out, 0); // the JDK buffers until the tag arrives
        gcm.doFinal(icv, icvOffset, icvLength(), out, 0);
      }
    } catch (AEADBadTagException e) {
      return false; // compared in constant time by the JDK; buf untouched
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JCE GCM open failed", e);
    }
    System.arraycopy(out, 0, buf, offset, length);
    return true;
  }

  @Override
  void releaseLibraryState() {
    jceKey.destroy();
    gcm = null;
  }
}
