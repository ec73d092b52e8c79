package org.ipsecemu.datapath.crypto;

import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * A raw {@link SecretKey} over the transform's own key array, so that {@link #destroy()} zeroes the
 * one copy we hand to the JCE ({@code SecretKeySpec} keeps a private copy that cannot be
 * destroyed). The JCE still keeps its expanded key inside the {@code Cipher}/{@code Mac}.
 */
final class JceKey implements SecretKey {
  private static final long serialVersionUID = 1L;
  private final String algorithm;
  private final transient byte[] bytes;
  private transient boolean destroyed;

  JceKey(String algorithm, byte[] bytes, int offset, int length) {
    this.algorithm = algorithm;
    this.bytes = Arrays.copyOfRange(bytes, offset, offset + length);
  }

  @Override
  public String getAlgorithm() {
    return algorithm;
  }

  @Override
  public String getFormat() {
    return "RAW";
  }

  @Override
  public byte[] getEncoded() {
    return bytes.clone();
  }

  @Override
  public void destroy() {
    Arrays.fill(bytes, (byte) 0);
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  /** The array destroy() zeroes, for tests. */
  byte[] bytesForTest() {
    return bytes;
  }

  @Override
  public String toString() {
    return "JceKey[" + algorithm + "]";
  }
}
