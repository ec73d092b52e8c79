package org.ipsecemu.sadb.wire;

import java.util.Optional;

/**
 * The security association types of {@code sadb_msg_satype}: RFC 2367 §3.4 plus Linux's
 * SADB_X_SATYPE_IPCOMP. Header fields keep the raw number; this enum names the known ones.
 */
public enum SaType implements PfKeyConstant {
  /** No specific type (FLUSH, DUMP, REGISTER of everything). */
  SADB_SATYPE_UNSPEC(0),
  /** IP Authentication Header. */
  SADB_SATYPE_AH(2),
  /** IP Encapsulating Security Payload. */
  SADB_SATYPE_ESP(3),
  /** RSVP Integrity Object. */
  SADB_SATYPE_RSVP(5),
  /** OSPFv2 cryptographic authentication. */
  SADB_SATYPE_OSPFV2(6),
  /** RIPv2 cryptographic authentication. */
  SADB_SATYPE_RIPV2(7),
  /** Mobile IP authentication. */
  SADB_SATYPE_MIP(8),
  /** Linux/KAME: IP payload compression; its SA's encrypt field holds a compression algorithm. */
  SADB_X_SATYPE_IPCOMP(9);

  private static final SymbolTable<SaType> TABLE = new SymbolTable<>("SA type", values());

  private final int value;

  SaType(int value) {
    this.value = value;
  }

  @Override
  public int value() {
    return value;
  }

  /** The constant with this wire value, or empty for a number this enum does not name. */
  public static Optional<SaType> valueOf(int value) {
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
