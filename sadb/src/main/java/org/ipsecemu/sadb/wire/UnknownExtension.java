package org.ipsecemu.sadb.wire;

import java.util.Arrays;

/**
 * An extension the codec does not decode, kept as its type and raw body (RFC 2367 §2.3: "If an
 * unknown extension type is encountered, it MUST be ignored"; the caller may still want it, and
 * re-encoding writes it back unchanged).
 *
 * <p>The body is everything after the 4-byte {@code sadb_ext} header; the constructor pads it with
 * zeros so that header plus body is a multiple of 8 bytes, as on the wire.
 *
 * @param exttype the {@code sadb_ext_type} number (1..65535)
 * @param body the bytes after the extension header (a copy is kept and returned)
 */
public record UnknownExtension(int exttype, byte[] body) implements SadbExtension {
  /** Checks the type and pads the body. */
  public UnknownExtension {
    Checks.u16("exttype", exttype);
    if (exttype == 0) {
      throw new IllegalArgumentException("exttype=0 is SADB_EXT_RESERVED");
    }
    body = Checks.padded(body, 4);
  }

  /** A copy of the body. */
  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public int len() {
    return (4 + body.length) / 8;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnknownExtension u && exttype == u.exttype && Arrays.equals(body, u.body);
  }

  @Override
  public int hashCode() {
    return exttype * 31 + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "UnknownExtension[exttype="
        + ExtensionType.symbolOf(exttype)
        + ", body=<"
        + body.length
        + " bytes>]";
  }
}
