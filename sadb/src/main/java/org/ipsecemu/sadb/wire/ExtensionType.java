package org.ipsecemu.sadb.wire;

import java.util.Optional;

/**
 * The extension types of {@code sadb_ext_type}: RFC 2367 §3.6, Appendix C (SADB_X_EXT_KMPRIVATE),
 * the Linux/KAME additions with their Linux numbers ({@code include/uapi/linux/pfkeyv2.h}), and the
 * Arkko draft's Proposal Reference.
 *
 * <p>SADB_X_EXT_SEC_CTX, SADB_X_EXT_KMADDRESS and SADB_X_EXT_FILTER are named so they print by
 * name, but the codec does not decode their bodies: they are kept as {@link UnknownExtension}, as
 * §2.3 asks for extensions an implementation does not understand.
 *
 * <p><b>SADB_X_EXT_PREFERENCE = 240.</b> The draft (draft-arkko-pfkey-reference-00 §7.1) names the
 * type but gives no number. 240 is far above every number a known implementation uses for {@code
 * sadb_ext_type} (Linux 26, FreeBSD 32, NetBSD 25–28, OpenBSD 40, illumos/Solaris 27), which all
 * grow upward one by one; it matches the number picked for {@link MessageType#SADB_X_QUERY}.
 */
public enum ExtensionType implements PfKeyConstant {
  /** Reserved (§2.3); an extension of this type is an error. */
  SADB_EXT_RESERVED(0),
  /** §2.3.1 Association: {@code struct sadb_sa}. */
  SADB_EXT_SA(1),
  /** §2.3.2 Lifetime, CURRENT variant. */
  SADB_EXT_LIFETIME_CURRENT(2),
  /** §2.3.2 Lifetime, HARD variant. */
  SADB_EXT_LIFETIME_HARD(3),
  /** §2.3.2 Lifetime, SOFT variant. */
  SADB_EXT_LIFETIME_SOFT(4),
  /** §2.3.3 Address, source. */
  SADB_EXT_ADDRESS_SRC(5),
  /** §2.3.3 Address, destination. */
  SADB_EXT_ADDRESS_DST(6),
  /** §2.3.3 Address, proxy (inner source). */
  SADB_EXT_ADDRESS_PROXY(7),
  /** §2.3.4 Key, authentication. */
  SADB_EXT_KEY_AUTH(8),
  /** §2.3.4 Key, encryption. */
  SADB_EXT_KEY_ENCRYPT(9),
  /** §2.3.5 Identity, source. */
  SADB_EXT_IDENTITY_SRC(10),
  /** §2.3.5 Identity, destination. */
  SADB_EXT_IDENTITY_DST(11),
  /** §2.3.6 Sensitivity. */
  SADB_EXT_SENSITIVITY(12),
  /** §2.3.7 Proposal. */
  SADB_EXT_PROPOSAL(13),
  /** §2.3.8 Supported algorithms, authentication. */
  SADB_EXT_SUPPORTED_AUTH(14),
  /** §2.3.8 Supported algorithms, encryption. */
  SADB_EXT_SUPPORTED_ENCRYPT(15),
  /** §2.3.9 SPI range. */
  SADB_EXT_SPIRANGE(16),
  /** Appendix C: key management private data. */
  SADB_X_EXT_KMPRIVATE(17),
  /** Linux/KAME: security policy with its IPsec requests. */
  SADB_X_EXT_POLICY(18),
  /** Linux/KAME: SA mode, reqid and sequence. */
  SADB_X_EXT_SA2(19),
  /** Linux: NAT traversal encapsulation type. */
  SADB_X_EXT_NAT_T_TYPE(20),
  /** Linux: NAT traversal source port. */
  SADB_X_EXT_NAT_T_SPORT(21),
  /** Linux: NAT traversal destination port. */
  SADB_X_EXT_NAT_T_DPORT(22),
  /** Linux: NAT traversal original address (an address extension). */
  SADB_X_EXT_NAT_T_OA(23),
  /** Linux: LSM security context (kept raw). */
  SADB_X_EXT_SEC_CTX(24),
  /** Linux: addresses for MIGRATE (kept raw). */
  SADB_X_EXT_KMADDRESS(25),
  /** Linux: SA dump filter (kept raw). */
  SADB_X_EXT_FILTER(26),
  /**
   * Arkko draft §7.1: Proposal Reference, {@code struct sadb_x_pref} (number chosen here, see
   * above).
   */
  SADB_X_EXT_PREFERENCE(240);

  private static final SymbolTable<ExtensionType> TABLE =
      new SymbolTable<>("extension type", values());

  private final int value;

  ExtensionType(int value) {
    this.value = value;
  }

  @Override
  public int value() {
    return value;
  }

  /** The constant with this wire value, or empty for a number this enum does not name. */
  public static Optional<ExtensionType> valueOf(int value) {
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
