package org.ipsecemu.sadb.wire;

import java.util.Optional;

/**
 * The address families a sockaddr in a PF_KEY message may carry. The numbers differ between
 * sockaddr layouts (Linux AF_INET6 is 10, FreeBSD's is 28); {@link #value()} is the Linux number
 * and {@link SockaddrLayout#familyNumber} gives the number for a layout.
 */
public enum AddressFamily implements PfKeyConstant {
  /** IPv4: {@code struct sockaddr_in}, 16 bytes. */
  AF_INET(2),
  /** IPv6: {@code struct sockaddr_in6}, 28 bytes. */
  AF_INET6(10);

  private static final SymbolTable<AddressFamily> TABLE =
      new SymbolTable<>("address family", values());

  private final int value;

  AddressFamily(int value) {
    this.value = value;
  }

  @Override
  public int value() {
    return value;
  }

  /** The constant with this wire value, or empty for a number this enum does not name. */
  public static Optional<AddressFamily> valueOf(int value) {
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

  /** Address length in bytes: 4 or 16. */
  public int addressLength() {
    return this == AF_INET ? 4 : 16;
  }

  /** The size of this family's sockaddr structure in bytes: 16 or 28. */
  public int sockaddrLength() {
    return this == AF_INET ? 16 : 28;
  }
}
