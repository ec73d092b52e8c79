package org.ipsecemu.datapath.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.ipsecemu.sadb.alg.Algorithm;

/**
 * HMAC on the JDK's digests (SHA-1, SHA-256 and MD5 with their CPU intrinsics), through Bouncy
 * Castle's RFC 2104 construction ({@link HMac} over a {@link JceDigest}).
 *
 * <p>Why not {@code javax.crypto.Mac}: its {@code doFinal(out, offset)} allocates one digest-sized
 * array inside the JDK per packet (40 bytes for SHA-1), which broke the datapath's zero allocation
 * per packet; {@code HMac} writes into our scratch array and the JDK's {@code MessageDigest} into
 * HMac's. Same speed as {@code Mac} (both rehash the padded key blocks for each packet, since
 * neither can restore a saved digest state without allocating), measured in {@code bench/}'s {@code
 * CryptoBaselineBench} and {@code EspBench}.
 */
final class JceHmacIntegrity extends AbstractIntegrity {
  private HMac hmac;
  private KeyParameter keyParameter;

  JceHmacIntegrity(Algorithm alg, byte[] key, Direction direction, int icvLength) {
    super(alg, key, direction, CryptoProvider.JCE, icvLength);
    try {
      this.hmac = new HMac(new JceDigest(digestName(alg), 64));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK cannot set up " + alg.setkeyName(), e);
    }
    this.keyParameter = new KeyParameter(this.key);
    hmac.init(keyParameter);
  }

  /** The JDK's digest under the HMAC; every one of them has 64-byte blocks. */
  static String digestName(Algorithm alg) {
    switch (alg) {
      case HMAC_MD5_96:
        return "MD5";
      case HMAC_SHA1_96:
        return "SHA-1";
      case HMAC_SHA2_256_128:
        return "SHA-256";
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
    // Re-keying with zeros overwrites HMac's pad buffers; the digest's state is reset.
    Arrays.fill(keyParameter.getKey(), (byte) 0);
    hmac.init(keyParameter);
    hmac = null;
    keyParameter = null;
  }
}
