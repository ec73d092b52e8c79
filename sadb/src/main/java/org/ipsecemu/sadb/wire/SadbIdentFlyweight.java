package org.ipsecemu.sadb.wire;

/**
 * The Identity extension header (RFC 2367 §2.3.5); a NUL-terminated string may follow.
 *
 * <pre>{@code
 * struct sadb_ident {
 *     uint16_t sadb_ident_len;
 *     uint16_t sadb_ident_exttype;
 *     uint16_t sadb_ident_type;
 *     uint16_t sadb_ident_reserved;
 *     uint64_t sadb_ident_id;
 * };
 * // sizeof(struct sadb_ident) == 16
 * // followed by the identity string, if present
 * }</pre>
 */
public final class SadbIdentFlyweight extends Flyweight<SadbIdentFlyweight> {
  /** Offset of {@code sadb_ident_len}. */
  public static final int LEN_OFFSET = 0;

  /** Offset of {@code sadb_ident_exttype}. */
  public static final int EXTTYPE_OFFSET = LEN_OFFSET + 2;

  /** Offset of {@code sadb_ident_type}. */
  public static final int TYPE_OFFSET = EXTTYPE_OFFSET + 2;

  /** Offset of {@code sadb_ident_reserved}. */
  public static final int RESERVED_OFFSET = TYPE_OFFSET + 2;

  /** Offset of {@code sadb_ident_id}. */
  public static final int ID_OFFSET = RESERVED_OFFSET + 2;

  /** {@code sizeof(struct sadb_ident)}. */
  public static final int ENCODED_LENGTH = ID_OFFSET + 8;

  @Override
  public int encodedLength() {
    return ENCODED_LENGTH;
  }

  /** Reads {@code sadb_ident_len}. */
  public int len() {
    return getU16(offset + LEN_OFFSET, order);
  }

  /** Writes {@code sadb_ident_len}. */
  public SadbIdentFlyweight len(int value) {
    putU16(offset + LEN_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_ident_exttype}. */
  public int exttype() {
    return getU16(offset + EXTTYPE_OFFSET, order);
  }

  /** Writes {@code sadb_ident_exttype}. */
  public SadbIdentFlyweight exttype(int value) {
    putU16(offset + EXTTYPE_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_ident_type}. */
  public int type() {
    return getU16(offset + TYPE_OFFSET, order);
  }

  /** Writes {@code sadb_ident_type}. */
  public SadbIdentFlyweight type(int value) {
    putU16(offset + TYPE_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_ident_reserved}. */
  public int reserved() {
    return getU16(offset + RESERVED_OFFSET, order);
  }

  /** Writes {@code sadb_ident_reserved}. */
  public SadbIdentFlyweight reserved(int value) {
    putU16(offset + RESERVED_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_ident_id}. */
  public long id() {
    return getU64(offset + ID_OFFSET, order);
  }

  /** Writes {@code sadb_ident_id}. */
  public SadbIdentFlyweight id(long value) {
    putU64(offset + ID_OFFSET, value, order);
    return this;
  }
}
