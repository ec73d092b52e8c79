package org.ipsecemu.sadb.wire;

import java.util.Optional;

/**
 * Compression algorithm ids (Linux/KAME SADB_X_CALG), held in {@code sadb_sa_encrypt} when the SA
 * type is SADB_X_SATYPE_IPCOMP.
 */
public enum CompressionAlgorithm implements PfKeyConstant {
  /** No compression. */
  SADB_X_CALG_NONE(0),
  /** Vendor specific. */
  SADB_X_CALG_OUI(1),
  /** DEFLATE (RFC 2394). */
  SADB_X_CALG_DEFLATE(2),
  /** LZS (RFC 2395). */
  SADB_X_CALG_LZS(3),
  /** LZJH (RFC 3051). */
  SADB_X_CALG_LZJH(4);

  private static final SymbolTable<CompressionAlgorithm> TABLE =
      new SymbolTable<>("compression algorithm", values());

  private final int value;

  CompressionAlgorithm(int value) {
    this.value = value;
  }

  @Override
  public int value() {
    return value;
  }

  /** The constant with this wire value, or empty for a number this enum does not name. */
  public static Optional<CompressionAlgorithm> valueOf(int value) {
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
