package org.ipsecemu.datapath.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.MD5Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.ipsecemu.sadb.alg.Algorithm;

/**
 * HMAC with Bouncy Castle's {@link HMac}: the inner and outer pad states are precomputed at init
 * and restored after each {@code doFinal}, which writes into our scratch array; no allocation.
 */
final class BcHmacIntegrity extends AbstractIntegrity {
  private HMac hmac;
  private KeyParameter keyParameter;

  BcHmacIntegrity(Algorithm alg, byte[] key, Direction direction, int icvLength) {
    super(alg, key, direction, CryptoProvider.BOUNCY_CASTLE, icvLength);
    this.hmac = new HMac(digest(alg));
    this.keyParameter = new KeyParameter(this.key);
    hmac.init(keyParameter);
  }

  static Digest digest(Algorithm alg) {
    switch (alg) {
      case HMAC_MD5_96:
        return new MD5Digest();
      case HMAC_SHA1_96:
        return new SHA1Digest();
      case HMAC_SHA2_256_128:
        return SHA256Digest.newInstance();
      default:
        throw new IllegalArgumentException("not an HMAC: " + alg);
    }
  }

  @Override
  void feed(byte[] buf, int offset, int length) {
    hmac.update(buf, offset, length);
  }

  @Override
  void macInto(byte[] out) {
    hmac.doFinal(out, 0);
  }

  @Override
  void resetMac() {
    hmac.reset();
  }

  @Override
  void releaseLibraryState() {
    // Re-keying with zeros overwrites HMac's own pad buffers; its saved digest states are dropped.
    Arrays.fill(keyParameter.getKey(), (byte) 0);
    hmac.init(keyParameter);
    hmac = null;
    keyParameter = null;
  }
}
