package org.ipsecemu.sadb.wire;

import java.util.HexFormat;

/** Test helper: hex text with spaces and line breaks to bytes, and back. */
final class Hex {
  private Hex() {}

  static byte[] bytes(String... parts) {
    return HexFormat.of().parseHex(String.join("", parts).replaceAll("\\s+", ""));
  }

  static String text(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
