package org.ipsecemu.datapath.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import org.ipsecemu.sadb.alg.Algorithm;

/**
 * HMAC with the JDK's {@link Mac} (SunJCE, SHA/MD5 intrinsics). {@code Mac.doFinal(out, offset)}
 * allocates one digest-sized array inside the JDK per packet; the measured speed (package
 * documentation) outweighs that.
 */
final class JceHmacIntegrity extends AbstractIntegrity {
  private final JceKey jceKey;
  private Mac mac;

  JceHmacIntegrity(Algorithm alg, byte[] key, Direction direction, int icvLength) {
    super(alg, key, direction, CryptoProvider.JCE, icvLength);
    String name = jceName(alg);
    this.jceKey = new JceKey(name, this.key, 0, this.key.length);
    try {
      this.mac = Mac.getInstance(name, "SunJCE");
      this.mac.init(jceKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JCE cannot set up " + alg.setkeyName(), e);
    }
  }

  static String jceName(Algorithm alg) {
    switch (alg) {
      case HMAC_MD5_96:
        return "HmacMD5";
      case HMAC_SHA1_96:
        return "HmacSHA1";
      case HMAC_SHA2_256_128:
        return "HmacSHA256";
      default:
        throw new IllegalArgumentException("not an HMAC: " + alg);
    }
  }

  @Override
  void feed(byte[] buf, int offset, int length) {
    mac.update(buf, offset, length);
  }

  @Override
  void macInto(byte[] out) {
    try {
      mac.doFinal(out, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JCE failed on " + algorithm().setkeyName(), e);
    }
  }

  @Override
  void resetMac() {
    mac.reset();
  }

  @Override
  void releaseLibraryState() {
    jceKey.destroy();
    mac = null;
  }
}
