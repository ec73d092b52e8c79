package org.ipsecemu.sadb.wire;

import java.util.Optional;

/** The security association states of {@code sadb_sa_state} (RFC 2367 §3.3). */
public enum SaState implements PfKeyConstant {
  /** Created by SADB_GETSPI, not yet updated. */
  SADB_SASTATE_LARVAL(0),
  /** Usable: added or updated. */
  SADB_SASTATE_MATURE(1),
  /** The soft lifetime has expired. */
  SADB_SASTATE_DYING(2),
  /** The hard lifetime has expired; not yet reaped. */
  SADB_SASTATE_DEAD(3);

  private static final SymbolTable<SaState> TABLE = new SymbolTable<>("SA state", values());

  private final int value;

  SaState(int value) {
    this.value = value;
  }

  @Override
  public int value() {
    return value;
  }

  /** The constant with this wire value, or empty for a number this enum does not name. */
  public static Optional<SaState> valueOf(int value) {
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
