package org.ipsecemu.datapath.crypto;

import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import org.bouncycastle.crypto.ExtendedDigest;

/**
 * One of the JDK's digests ({@link MessageDigest} from the {@code SUN} provider, whose SHA-1,
 * SHA-256 and MD5 compression functions are CPU intrinsics) behind Bouncy Castle's {@link
 * ExtendedDigest}, so that Bouncy Castle's allocation-free {@code HMac} can run on it: {@code
 * MessageDigest.digest(out, offset, length)} writes into the caller's array, where {@code
 * javax.crypto.Mac.doFinal} allocates its result.
 */
final class JceDigest implements ExtendedDigest {
  private final MessageDigest md;
  private final int digestSize;
  private final int blockSize;

  /**
   * @param name the JDK's name ({@code SHA-1}, {@code SHA-256}, {@code MD5})
   * @param blockSize the compression function's block in bytes, which HMAC pads the key to
   */
  JceDigest(String name, int blockSize) throws GeneralSecurityException {
    this.md = MessageDigest.getInstance(name, "SUN");
    this.digestSize = md.getDigestLength();
    this.blockSize = blockSize;
  }

  @Override
  public String getAlgorithmName() {
    return md.getAlgorithm();
  }

  @Override
  public int getDigestSize() {
    return digestSize;
  }

  @Override
  public int getByteLength() {
    return blockSize;
  }

  @Override
  public void update(byte in) {
    md.update(in);
  }

  @Override
  public void update(byte[] in, int offset, int length) {
    md.update(in, offset, length);
  }

  @Override
  public int doFinal(byte[] out, int offset) {
    try {
      return md.digest(out, offset, digestSize);
    } catch (DigestException e) {
      // HMac always leaves room for the digest; this would be a bug, not bad packet data.
      throw new IllegalStateException("no room for the digest at offset=" + offset, e);
    }
  }

  @Override
  public void reset() {
    md.reset();
  }
}
