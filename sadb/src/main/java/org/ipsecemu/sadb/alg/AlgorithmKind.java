package org.ipsecemu.sadb.alg;

/**
 * What an {@link Algorithm} does for a security association: integrity only, encryption only, or
 * both at once (a combined-mode AEAD cipher, RFC 4303 §3.2.3).
 *
 * <p>PF_KEY (RFC 2367 §2.3.1) has two algorithm fields, {@code sadb_sa_auth} and {@code
 * sadb_sa_encrypt}. Integrity algorithms go in the first; encryption and combined-mode algorithms
 * share the number space of the second (Linux {@code pfkeyv2.h} numbers AES-GCM as {@code
 * SADB_X_EALG_AES_GCM_ICV16}), and an SA with a combined-mode algorithm carries {@code
 * SADB_AALG_NONE} in {@code sadb_sa_auth}.
 */
public enum AlgorithmKind {
  /** An integrity (authentication) algorithm: {@code sadb_sa_auth}, SADB_EXT_KEY_AUTH. */
  INTEGRITY(14),
  /** A confidentiality-only cipher: {@code sadb_sa_encrypt}, SADB_EXT_KEY_ENCRYPT. */
  ENCRYPTION(15),
  /**
   * A combined-mode (AEAD) cipher giving confidentiality and integrity with one key: {@code
   * sadb_sa_encrypt}, SADB_EXT_KEY_ENCRYPT, no auth algorithm.
   */
  COMBINED(15);

  private final int supportedExtensionType;

  AlgorithmKind(int supportedExtensionType) {
    this.supportedExtensionType = supportedExtensionType;
  }

  /**
   * True when the PF_KEY id of this kind lives in {@code sadb_sa_encrypt} (and its key in
   * SADB_EXT_KEY_ENCRYPT); false for {@code sadb_sa_auth} / SADB_EXT_KEY_AUTH.
   */
  public boolean usesEncryptField() {
    return this != INTEGRITY;
  }

  /**
   * The extension of a REGISTER reply that lists algorithms of this kind (RFC 2367 §2.3.7):
   * SADB_EXT_SUPPORTED_AUTH (14) or SADB_EXT_SUPPORTED_ENCRYPT (15).
   */
  public int supportedExtensionType() {
    return supportedExtensionType;
  }
}
