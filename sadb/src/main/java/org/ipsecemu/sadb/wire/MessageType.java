package org.ipsecemu.sadb.wire;

import java.util.Optional;

/**
 * The message types of {@code sadb_msg_type}: RFC 2367 §3.1 (SADB_GETSPI … SADB_DUMP), Appendix A
 * (SADB_X_PROMISC), Appendix B (SADB_X_PCHANGE), the security-policy messages Linux and KAME put in
 * the same name space (with their Linux numbers, {@code include/uapi/linux/pfkeyv2.h}), and the
 * Arkko draft's SADB_X_QUERY.
 *
 * <p><b>SADB_X_QUERY = 240.</b> The draft (draft-arkko-pfkey-reference-00 §6.2) gives no number.
 * 240 is far above every number a known implementation uses for {@code sadb_msg_type} (Linux and
 * NetBSD stop at 24 with SADB_X_MIGRATE, FreeBSD at 22–24, OpenBSD at 16, illumos/Solaris at 15;
 * HIP patches reach 30), and those name spaces grow upward one by one, so it collides with nothing
 * now and is unlikely to later. It still fits the 8-bit field.
 *
 * <p>SADB_X_PCHANGE (12) is the RFC's number; illumos reuses 12 for SADB_X_INVERSE_ACQUIRE, which
 * this emulator does not implement.
 */
public enum MessageType implements PfKeyConstant {
  /** Reserved (§3.1); never valid in a message. */
  SADB_RESERVED(0),
  /** §3.1.1: allocate an SPI, creating a LARVAL SA. */
  SADB_GETSPI(1),
  /** §3.1.2: complete or change an existing SA. */
  SADB_UPDATE(2),
  /** §3.1.3: add a fully formed SA. */
  SADB_ADD(3),
  /** §3.1.4: delete an SA. */
  SADB_DELETE(4),
  /** §3.1.5: read one SA. */
  SADB_GET(5),
  /** §3.1.6: the kernel asks key management for an SA. */
  SADB_ACQUIRE(6),
  /** §3.1.7: a key management socket registers for an SA type. */
  SADB_REGISTER(7),
  /** §3.1.8: a soft or hard lifetime of an SA ran out. */
  SADB_EXPIRE(8),
  /** §3.1.9: delete all SAs (of a type). */
  SADB_FLUSH(9),
  /** §3.1.10: list all SAs (debugging). */
  SADB_DUMP(10),
  /** Appendix A: promiscuous send/receive. */
  SADB_X_PROMISC(11),
  /** Appendix B: passive-side change of security services. */
  SADB_X_PCHANGE(12),
  /** Linux/KAME: update a security policy. */
  SADB_X_SPDUPDATE(13),
  /** Linux/KAME: add a security policy. */
  SADB_X_SPDADD(14),
  /** Linux/KAME: delete a security policy by its selectors. */
  SADB_X_SPDDELETE(15),
  /** Linux/KAME: read a security policy by id. */
  SADB_X_SPDGET(16),
  /** Linux/KAME: policy acquire. */
  SADB_X_SPDACQUIRE(17),
  /** Linux/KAME: list all security policies. */
  SADB_X_SPDDUMP(18),
  /** Linux/KAME: delete all security policies. */
  SADB_X_SPDFLUSH(19),
  /** Linux/KAME: add a policy by index. */
  SADB_X_SPDSETIDX(20),
  /** Linux/KAME: a policy lifetime ran out. */
  SADB_X_SPDEXPIRE(21),
  /** Linux/KAME: delete a security policy by id. */
  SADB_X_SPDDELETE2(22),
  /** Linux: the NAT-T peer's address or port changed. */
  SADB_X_NAT_T_NEW_MAPPING(23),
  /** Linux: move SAs and policies to new endpoints. */
  SADB_X_MIGRATE(24),
  /**
   * Arkko draft §6.2: key management asks the kernel for a proposal (number chosen here, see
   * above).
   */
  SADB_X_QUERY(240);

  private static final SymbolTable<MessageType> TABLE = new SymbolTable<>("message type", values());

  private final int value;

  MessageType(int value) {
    this.value = value;
  }

  @Override
  public int value() {
    return value;
  }

  /** The constant with this wire value, or empty for a number this enum does not name. */
  public static Optional<MessageType> valueOf(int value) {
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
