package org.ipsecemu.sadb.wire;

import java.util.Optional;

/**
 * Encapsulation types of {@code sadb_x_nat_t_type_type} (Linux {@code include/uapi/linux/udp.h}).
 */
public enum NatTraversalType implements PfKeyConstant {
  /** draft-ietf-ipsec-nat-t-ike-00/01 encapsulation. */
  UDP_ENCAP_ESPINUDP_NON_IKE(1),
  /** RFC 3948 ESP-in-UDP. */
  UDP_ENCAP_ESPINUDP(2);

  private static final SymbolTable<NatTraversalType> TABLE =
      new SymbolTable<>("NAT-T type", values());

  private final int value;

  NatTraversalType(int value) {
    this.value = value;
  }

  @Override
  public int value() {
    return value;
  }

  /** The constant with this wire value, or empty for a number this enum does not name. */
  public static Optional<NatTraversalType> valueOf(int value) {
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
