package org.ipsecemu.sadb.wire;

import java.util.Objects;

/** Range checks for the model's constructors: every field must fit its wire width. */
final class Checks {
  private Checks() {}

  static int u8(String field, int v) {
    if (v < 0 || v > 0xFF) {
      throw new IllegalArgumentException(field + "=" + v + " out of range 0..255");
    }
    return v;
  }

  static int u16(String field, int v) {
    if (v < 0 || v > 0xFFFF) {
      throw new IllegalArgumentException(field + "=" + v + " out of range 0..65535");
    }
    return v;
  }

  static long u32(String field, long v) {
    if (v < 0 || v > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(field + "=" + v + " out of range 0..4294967295");
    }
    return v;
  }

  static ExtensionType kind(String record, ExtensionType kind, ExtensionType... allowed) {
    Objects.requireNonNull(kind, "kind");
    for (ExtensionType a : allowed) {
      if (a == kind) {
        return kind;
      }
    }
    throw new IllegalArgumentException(record + " cannot have exttype " + kind);
  }

  /** Copies {@code data} and pads it with zeros to a length {@code ≡ rem (mod 8)}. */
  static byte[] padded(byte[] data, int rem) {
    Objects.requireNonNull(data, "data");
    int len = data.length;
    int pad = Math.floorMod(rem - len, 8);
    return java.util.Arrays.copyOf(data, len + pad);
  }
}
