package org.ipsecemu.sadb.wire;

import java.util.Optional;

/**
 * Authentication algorithm ids of {@code sadb_sa_auth}, {@code sadb_comb_auth} and the
 * SUPPORTED_AUTH list: RFC 2367 §3.5 plus the SADB_X_AALG numbers Linux uses.
 */
public enum AuthAlgorithm implements PfKeyConstant {
  /** No authentication. */
  SADB_AALG_NONE(0),
  /** HMAC-MD5-96 (RFC 2403). */
  SADB_AALG_MD5HMAC(2),
  /** HMAC-SHA-1-96 (RFC 2404). */
  SADB_AALG_SHA1HMAC(3),
  /** HMAC-SHA-256-128 (RFC 4868). */
  SADB_X_AALG_SHA2_256HMAC(5),
  /** HMAC-SHA-384-192 (RFC 4868). */
  SADB_X_AALG_SHA2_384HMAC(6),
  /** HMAC-SHA-512-256 (RFC 4868). */
  SADB_X_AALG_SHA2_512HMAC(7),
  /** HMAC-RIPEMD-160-96 (RFC 2857). */
  SADB_X_AALG_RIPEMD160HMAC(8),
  /** AES-XCBC-MAC-96 (RFC 3566). */
  SADB_X_AALG_AES_XCBC_MAC(9),
  /** KAME null authentication. */
  SADB_X_AALG_NULL(251);

  private static final SymbolTable<AuthAlgorithm> TABLE =
      new SymbolTable<>("authentication algorithm", values());

  private final int value;

  AuthAlgorithm(int value) {
    this.value = value;
  }

  @Override
  public int value() {
    return value;
  }

  /** The constant with this wire value, or empty for a number this enum does not name. */
  public static Optional<AuthAlgorithm> valueOf(int value) {
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
