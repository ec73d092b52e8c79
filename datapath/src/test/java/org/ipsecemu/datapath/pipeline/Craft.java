package org.ipsecemu.datapath.pipeline;

import org.ipsecemu.datapath.crypto.Direction;
import org.ipsecemu.datapath.crypto.EncryptionTransform;
import org.ipsecemu.datapath.crypto.IntegrityTransform;
import org.ipsecemu.datapath.crypto.TransformFactory;
import org.ipsecemu.sadb.alg.Algorithm;

/**
 * Test-only: ESP packets made by hand with the crypto transforms, so that a test can give them any
 * trailer (wrong padding, Next Header 59) or sequence number, with a valid ICV.
 */
final class Craft {
  private Craft() {}

  /**
   * {@code [SPI][seq][IV][E(plaintext)][ICV]}: {@code plaintext} already ends with padding, pad
   * length and Next Header, and fills whole cipher blocks; {@code auth} null for no ICV.
   */
  static byte[] esp(
      Algorithm enc,
      byte[] encKey,
      Algorithm auth,
      byte[] authKey,
      int spi,
      int seq,
      byte[] iv,
      byte[] plaintext) {
    int icv = auth == null ? 0 : auth.icvLength();
    byte[] p = new byte[8 + iv.length + plaintext.length + icv];
    p[0] = (byte) (spi >>> 24);
    p[1] = (byte) (spi >>> 16);
    p[2] = (byte) (spi >>> 8);
    p[3] = (byte) spi;
    p[4] = (byte) (seq >>> 24);
    p[5] = (byte) (seq >>> 16);
    p[6] = (byte) (seq >>> 8);
    p[7] = (byte) seq;
    System.arraycopy(iv, 0, p, 8, iv.length);
    System.arraycopy(plaintext, 0, p, 8 + iv.length, plaintext.length);
    TransformFactory f = TransformFactory.standard();
    try (EncryptionTransform e = f.encryption(enc, encKey, Direction.OUTBOUND)) {
      e.encrypt(p, 8, p, 8 + iv.length, plaintext.length);
    }
    if (auth != null) {
      try (IntegrityTransform m = f.integrity(auth, authKey, Direction.OUTBOUND)) {
        m.compute(p, 0, p.length - icv, p, p.length - icv);
      }
    }
    return p;
  }
}
