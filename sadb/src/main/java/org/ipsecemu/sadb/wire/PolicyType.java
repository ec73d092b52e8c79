package org.ipsecemu.sadb.wire;

import java.util.Optional;

/**
 * Policy types of {@code sadb_x_policy_type} (Linux {@code include/uapi/linux/ipsec.h}, from KAME).
 */
public enum PolicyType implements PfKeyConstant {
  /** Drop matching packets. */
  IPSEC_POLICY_DISCARD(0),
  /** Pass matching packets without IPsec. */
  IPSEC_POLICY_NONE(1),
  /** Apply the policy's IPsec requests. */
  IPSEC_POLICY_IPSEC(2),
  /** Consult the system default policy. */
  IPSEC_POLICY_ENTRUST(3),
  /** Bypass the system policy (per socket). */
  IPSEC_POLICY_BYPASS(4);

  private static final SymbolTable<PolicyType> TABLE = new SymbolTable<>("policy type", values());

  private final int value;

  PolicyType(int value) {
    this.value = value;
  }

  @Override
  public int value() {
    return value;
  }

  /** The constant with this wire value, or empty for a number this enum does not name. */
  public static Optional<PolicyType> valueOf(int value) {
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
