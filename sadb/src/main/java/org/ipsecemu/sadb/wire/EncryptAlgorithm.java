package org.ipsecemu.sadb.wire;

import java.util.Optional;

/**
 * Encryption algorithm ids of {@code sadb_sa_encrypt}, {@code sadb_comb_encrypt} and the
 * SUPPORTED_ENCRYPT list: RFC 2367 §3.5 plus the SADB_X_EALG numbers Linux uses. For
 * SADB_X_SATYPE_IPCOMP the same field holds a {@link CompressionAlgorithm} instead.
 */
public enum EncryptAlgorithm implements PfKeyConstant {
  /** No encryption (e.g. AH). */
  SADB_EALG_NONE(0),
  /** DES-CBC (RFC 2405). */
  SADB_EALG_DESCBC(2),
  /** 3DES-CBC (RFC 2451). */
  SADB_EALG_3DESCBC(3),
  /** CAST-128-CBC (RFC 2451). */
  SADB_X_EALG_CASTCBC(6),
  /** Blowfish-CBC (RFC 2451). */
  SADB_X_EALG_BLOWFISHCBC(7),
  /** NULL encryption (RFC 2410). */
  SADB_EALG_NULL(11),
  /** AES-CBC (RFC 3602). */
  SADB_X_EALG_AESCBC(12),
  /** AES-CTR (RFC 3686). */
  SADB_X_EALG_AESCTR(13),
  /** AES-CCM, 8-byte ICV (RFC 4309). */
  SADB_X_EALG_AES_CCM_ICV8(14),
  /** AES-CCM, 12-byte ICV (RFC 4309). */
  SADB_X_EALG_AES_CCM_ICV12(15),
  /** AES-CCM, 16-byte ICV (RFC 4309). */
  SADB_X_EALG_AES_CCM_ICV16(16),
  /** AES-GCM, 8-byte ICV (RFC 4106). */
  SADB_X_EALG_AES_GCM_ICV8(18),
  /** AES-GCM, 12-byte ICV (RFC 4106). */
  SADB_X_EALG_AES_GCM_ICV12(19),
  /** AES-GCM, 16-byte ICV (RFC 4106). */
  SADB_X_EALG_AES_GCM_ICV16(20),
  /** Camellia-CBC (RFC 4312). */
  SADB_X_EALG_CAMELLIACBC(22),
  /** AES-GMAC, authentication only (RFC 4543). */
  SADB_X_EALG_NULL_AES_GMAC(23),
  /** Serpent-CBC (private number). */
  SADB_X_EALG_SERPENTCBC(252),
  /** Twofish-CBC (private number). */
  SADB_X_EALG_TWOFISHCBC(253);

  private static final SymbolTable<EncryptAlgorithm> TABLE =
      new SymbolTable<>("encryption algorithm", values());

  private final int value;

  EncryptAlgorithm(int value) {
    this.value = value;
  }

  @Override
  public int value() {
    return value;
  }

  /** The constant with this wire value, or empty for a number this enum does not name. */
  public static Optional<EncryptAlgorithm> valueOf(int value) {
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
