package org.ipsecemu.sadb.wire;

import java.util.Optional;

/** Policy directions of {@code sadb_x_policy_dir} (Linux {@code include/uapi/linux/ipsec.h}). */
public enum PolicyDirection implements PfKeyConstant {
  /** Any direction. */
  IPSEC_DIR_ANY(0),
  /** Inbound. */
  IPSEC_DIR_INBOUND(1),
  /** Outbound. */
  IPSEC_DIR_OUTBOUND(2),
  /** Forwarded (Linux). */
  IPSEC_DIR_FWD(3);

  private static final SymbolTable<PolicyDirection> TABLE =
      new SymbolTable<>("policy direction", values());

  private final int value;

  PolicyDirection(int value) {
    this.value = value;
  }

  @Override
  public int value() {
    return value;
  }

  /** The constant with this wire value, or empty for a number this enum does not name. */
  public static Optional<PolicyDirection> valueOf(int value) {
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
