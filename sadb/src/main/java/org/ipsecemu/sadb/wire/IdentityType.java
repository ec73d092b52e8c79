package org.ipsecemu.sadb.wire;

import java.util.Optional;

/** Identity types of {@code sadb_ident_type} (RFC 2367 §3.7). */
public enum IdentityType implements PfKeyConstant {
  /** Reserved. */
  SADB_IDENTTYPE_RESERVED(0),
  /** An address prefix, e.g. {@code 199.33.248.64/27}. */
  SADB_IDENTTYPE_PREFIX(1),
  /** A fully qualified domain name. */
  SADB_IDENTTYPE_FQDN(2),
  /** user@fqdn; {@code sadb_ident_id} may hold a POSIX uid. */
  SADB_IDENTTYPE_USERFQDN(3);

  private static final SymbolTable<IdentityType> TABLE =
      new SymbolTable<>("identity type", values());

  private final int value;

  IdentityType(int value) {
    this.value = value;
  }

  @Override
  public int value() {
    return value;
  }

  /** The constant with this wire value, or empty for a number this enum does not name. */
  public static Optional<IdentityType> valueOf(int value) {
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
