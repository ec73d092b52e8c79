package org.ipsecemu.sadb.wire;

/**
 * The SPI Range extension (RFC 2367 §2.3.9).
 *
 * <pre>{@code
 * struct sadb_spirange {
 *     uint16_t sadb_spirange_len;
 *     uint16_t sadb_spirange_exttype;
 *     uint32_t sadb_spirange_min;
 *     uint32_t sadb_spirange_max;
 *     uint32_t sadb_spirange_reserved;
 * };
 * // sizeof(struct sadb_spirange) == 16
 * }</pre>
 */
public final class SadbSpirangeFlyweight extends Flyweight<SadbSpirangeFlyweight> {
  /** Offset of {@code sadb_spirange_len}. */
  public static final int LEN_OFFSET = 0;

  /** Offset of {@code sadb_spirange_exttype}. */
  public static final int EXTTYPE_OFFSET = LEN_OFFSET + 2;

  /** Offset of {@code sadb_spirange_min}. */
  public static final int MIN_OFFSET = EXTTYPE_OFFSET + 2;

  /** Offset of {@code sadb_spirange_max}. */
  public static final int MAX_OFFSET = MIN_OFFSET + 4;

  /** Offset of {@code sadb_spirange_reserved}. */
  public static final int RESERVED_OFFSET = MAX_OFFSET + 4;

  /** {@code sizeof(struct sadb_spirange)}. */
  public static final int ENCODED_LENGTH = RESERVED_OFFSET + 4;

  @Override
  public int encodedLength() {
    return ENCODED_LENGTH;
  }

  /** Reads {@code sadb_spirange_len}. */
  public int len() {
    return getU16(offset + LEN_OFFSET, order);
  }

  /** Writes {@code sadb_spirange_len}. */
  public SadbSpirangeFlyweight len(int value) {
    putU16(offset + LEN_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_spirange_exttype}. */
  public int exttype() {
    return getU16(offset + EXTTYPE_OFFSET, order);
  }

  /** Writes {@code sadb_spirange_exttype}. */
  public SadbSpirangeFlyweight exttype(int value) {
    putU16(offset + EXTTYPE_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_spirange_min}. */
  public long min() {
    return getU32(offset + MIN_OFFSET, order);
  }

  /** Writes {@code sadb_spirange_min}. */
  public SadbSpirangeFlyweight min(long value) {
    putU32(offset + MIN_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_spirange_max}. */
  public long max() {
    return getU32(offset + MAX_OFFSET, order);
  }

  /** Writes {@code sadb_spirange_max}. */
  public SadbSpirangeFlyweight max(long value) {
    putU32(offset + MAX_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_spirange_reserved}. */
  public long reserved() {
    return getU32(offset + RESERVED_OFFSET, order);
  }

  /** Writes {@code sadb_spirange_reserved}. */
  public SadbSpirangeFlyweight reserved(long value) {
    putU32(offset + RESERVED_OFFSET, value, order);
    return this;
  }
}
