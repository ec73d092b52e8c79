package org.ipsecemu.datapath.packet;

import java.util.HexFormat;

/** Hex helpers for tests: packets are written as hex strings with their provenance beside them. */
public final class Hex {
  private Hex() {}

  /** Bytes of a hex string; spaces are ignored so that fields can be grouped. */
  public static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  public static String of(byte[] b, int offset, int length) {
    return HexFormat.of().formatHex(b, offset, offset + length);
  }

  public static String of(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
