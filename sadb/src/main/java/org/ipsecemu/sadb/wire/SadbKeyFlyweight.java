package org.ipsecemu.sadb.wire;

/**
 * The Key extension header (RFC 2367 §2.3.4); the key bytes follow, padded to 64 bits.
 *
 * <pre>{@code
 * struct sadb_key {
 *     uint16_t sadb_key_len;
 *     uint16_t sadb_key_exttype;
 *     uint16_t sadb_key_bits;
 *     uint16_t sadb_key_reserved;
 * };
 * // sizeof(struct sadb_key) == 8
 * // followed by the key data
 * }</pre>
 */
public final class SadbKeyFlyweight extends Flyweight<SadbKeyFlyweight> {
  /** Offset of {@code sadb_key_len}. */
  public static final int LEN_OFFSET = 0;

  /** Offset of {@code sadb_key_exttype}. */
  public static final int EXTTYPE_OFFSET = LEN_OFFSET + 2;

  /** Offset of {@code sadb_key_bits}. */
  public static final int BITS_OFFSET = EXTTYPE_OFFSET + 2;

  /** Offset of {@code sadb_key_reserved}. */
  public static final int RESERVED_OFFSET = BITS_OFFSET + 2;

  /** {@code sizeof(struct sadb_key)}. */
  public static final int ENCODED_LENGTH = RESERVED_OFFSET + 2;

  @Override
  public int encodedLength() {
    return ENCODED_LENGTH;
  }

  /** Reads {@code sadb_key_len}. */
  public int len() {
    return getU16(offset + LEN_OFFSET, order);
  }

  /** Writes {@code sadb_key_len}. */
  public SadbKeyFlyweight len(int value) {
    putU16(offset + LEN_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_key_exttype}. */
  public int exttype() {
    return getU16(offset + EXTTYPE_OFFSET, order);
  }

  /** Writes {@code sadb_key_exttype}. */
  public SadbKeyFlyweight exttype(int value) {
    putU16(offset + EXTTYPE_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_key_bits}. */
  public int bits() {
    return getU16(offset + BITS_OFFSET, order);
  }

  /** Writes {@code sadb_key_bits}. */
  public SadbKeyFlyweight bits(int value) {
    putU16(offset + BITS_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_key_reserved}. */
  public int reserved() {
    return getU16(offset + RESERVED_OFFSET, order);
  }

  /** Writes {@code sadb_key_reserved}. */
  public SadbKeyFlyweight reserved(int value) {
    putU16(offset + RESERVED_OFFSET, value, order);
    return this;
  }
}
