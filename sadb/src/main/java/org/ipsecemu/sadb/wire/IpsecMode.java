package org.ipsecemu.sadb.wire;

import java.util.Optional;

/**
 * IPsec modes of {@code sadb_x_ipsecrequest_mode} and {@code sadb_x_sa2_mode} (Linux {@code
 * include/uapi/linux/ipsec.h}).
 */
public enum IpsecMode implements PfKeyConstant {
  /** Any mode. */
  IPSEC_MODE_ANY(0),
  /** Transport mode. */
  IPSEC_MODE_TRANSPORT(1),
  /** Tunnel mode. */
  IPSEC_MODE_TUNNEL(2),
  /** Bound end-to-end tunnel (Linux). */
  IPSEC_MODE_BEET(3);

  private static final SymbolTable<IpsecMode> TABLE = new SymbolTable<>("IPsec mode", values());

  private final int value;

  IpsecMode(int value) {
    this.value = value;
  }

  @Override
  public int value() {
    return value;
  }

  /** The constant with this wire value, or empty for a number this enum does not name. */
  public static Optional<IpsecMode> valueOf(int value) {
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
