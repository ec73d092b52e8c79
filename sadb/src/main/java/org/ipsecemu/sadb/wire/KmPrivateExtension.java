package org.ipsecemu.sadb.wire;

import java.util.Arrays;

/**
 * The Key Management Private Data extension, SADB_X_EXT_KMPRIVATE (RFC 2367 Appendix C, {@code
 * struct sadb_x_kmprivate}, 8 bytes followed by arbitrary data padded to 64 bits).
 *
 * <p>The data is kept padded: the constructor appends zeros up to a multiple of 8 bytes, which is
 * exactly what a decoder sees, so a round trip gives back an equal record.
 *
 * @param data the private data, padded to a multiple of 8 bytes (a copy is kept and returned)
 */
public record KmPrivateExtension(byte[] data) implements SadbExtension {
  /** Copies and pads the data. */
  public KmPrivateExtension {
    data = Checks.padded(data, 0);
  }

  /** A copy of the data. */
  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public int exttype() {
    return ExtensionType.SADB_X_EXT_KMPRIVATE.value();
  }

  @Override
  public int len() {
    return 1 + data.length / 8;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KmPrivateExtension k && Arrays.equals(data, k.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "KmPrivateExtension[data=<" + data.length + " bytes>]";
  }
}
