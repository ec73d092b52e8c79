package org.ipsecemu.sadb.wire;

/**
 * The generic extension header every extension starts with (RFC 2367 §2.3).
 *
 * <pre>{@code
 * struct sadb_ext {
 *     uint16_t sadb_ext_len;
 *     uint16_t sadb_ext_type;
 * };
 * // sizeof(struct sadb_ext) == 4
 * }</pre>
 */
public final class SadbExtFlyweight extends Flyweight<SadbExtFlyweight> {
  /** Offset of {@code sadb_ext_len}. */
  public static final int LEN_OFFSET = 0;

  /** Offset of {@code sadb_ext_type}. */
  public static final int TYPE_OFFSET = LEN_OFFSET + 2;

  /** {@code sizeof(struct sadb_ext)}. */
  public static final int ENCODED_LENGTH = TYPE_OFFSET + 2;

  @Override
  public int encodedLength() {
    return ENCODED_LENGTH;
  }

  /** Reads {@code sadb_ext_len}. */
  public int len() {
    return getU16(offset + LEN_OFFSET, order);
  }

  /** Writes {@code sadb_ext_len}. */
  public SadbExtFlyweight len(int value) {
    putU16(offset + LEN_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_ext_type}. */
  public int type() {
    return getU16(offset + TYPE_OFFSET, order);
  }

  /** Writes {@code sadb_ext_type}. */
  public SadbExtFlyweight type(int value) {
    putU16(offset + TYPE_OFFSET, value, order);
    return this;
  }
}
