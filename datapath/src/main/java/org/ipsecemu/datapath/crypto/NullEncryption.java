package org.ipsecemu.datapath.crypto;

import java.util.Objects;
import org.ipsecemu.sadb.alg.Algorithm;

/** NULL encryption (RFC 2410): no key, no IV, block size 1; the payload passes unchanged. */
final class NullEncryption extends AbstractTransform implements EncryptionTransform {

  NullEncryption(Direction direction) {
    super(Algorithm.NULL, direction, CryptoProvider.NONE, new byte[0]);
  }

  @Override
  public int ivLength() {
    return 0;
  }

  @Override
  public int blockSize() {
    return 1;
  }

  @Override
  public void nextIv(byte[] dst, int offset) {
    checkUsable(Direction.OUTBOUND);
  }

  @Override
  public void encrypt(byte[] iv, int ivOffset, byte[] buf, int offset, int length) {
    checkUsable(Direction.OUTBOUND);
    Objects.checkFromIndexSize(offset, length, buf.length);
  }

  @Override
  public boolean decrypt(byte[] iv, int ivOffset, byte[] buf, int offset, int length) {
    checkUsable(Direction.INBOUND);
    return inRange(buf, offset, length);
  }

  @Override
  void releaseLibraryState() {}
}
