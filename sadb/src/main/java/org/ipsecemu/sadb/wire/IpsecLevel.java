package org.ipsecemu.sadb.wire;

import java.util.Optional;

/** Levels of {@code sadb_x_ipsecrequest_level} (Linux {@code include/uapi/linux/ipsec.h}). */
public enum IpsecLevel implements PfKeyConstant {
  /** System default. */
  IPSEC_LEVEL_DEFAULT(0),
  /** Use an SA if there is one. */
  IPSEC_LEVEL_USE(1),
  /** Require an SA. */
  IPSEC_LEVEL_REQUIRE(2),
  /** Require an SA bound to this policy's reqid. */
  IPSEC_LEVEL_UNIQUE(3);

  private static final SymbolTable<IpsecLevel> TABLE = new SymbolTable<>("IPsec level", values());

  private final int value;

  IpsecLevel(int value) {
    this.value = value;
  }

  @Override
  public int value() {
    return value;
  }

  /** The constant with this wire value, or empty for a number this enum does not name. */
  public static Optional<IpsecLevel> valueOf(int value) {
    return TABLE.valueOf(value);
  }

  /** The symbolic name of a wire value, or {@code UNKNOWN(n)} for a number without one. */
  public static String symbolOf(int value) {
    return TABLE.symbolOf(value);
  }

  /**
   * Parses a symbolic name, {@code UNKNOWN(n)} or a number into a wire value.
   *
   * @throws IllegalArgumentException when the text is none of these
   */
  public static int parse(String text) {
    return TABLE.parse(text);
  }
}
