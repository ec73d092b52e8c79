package org.ipsecemu.sadb.wire;

/**
 * The Sensitivity extension header (RFC 2367 §2.3.6); the two bitmaps follow.
 *
 * <pre>{@code
 * struct sadb_sens {
 *     uint16_t sadb_sens_len;
 *     uint16_t sadb_sens_exttype;
 *     uint32_t sadb_sens_dpd;
 *     uint8_t sadb_sens_sens_level;
 *     uint8_t sadb_sens_sens_len;
 *     uint8_t sadb_sens_integ_level;
 *     uint8_t sadb_sens_integ_len;
 *     uint32_t sadb_sens_reserved;
 * };
 * // sizeof(struct sadb_sens) == 16
 * // followed by:
 *     uint64_t sadb_sens_bitmap[sens_len];
 *     uint64_t sadb_integ_bitmap[integ_len];
 * }</pre>
 */
public final class SadbSensFlyweight extends Flyweight<SadbSensFlyweight> {
  /** Offset of {@code sadb_sens_len}. */
  public static final int LEN_OFFSET = 0;

  /** Offset of {@code sadb_sens_exttype}. */
  public static final int EXTTYPE_OFFSET = LEN_OFFSET + 2;

  /** Offset of {@code sadb_sens_dpd}. */
  public static final int DPD_OFFSET = EXTTYPE_OFFSET + 2;

  /** Offset of {@code sadb_sens_sens_level}. */
  public static final int SENS_LEVEL_OFFSET = DPD_OFFSET + 4;

  /** Offset of {@code sadb_sens_sens_len}. */
  public static final int SENS_LEN_OFFSET = SENS_LEVEL_OFFSET + 1;

  /** Offset of {@code sadb_sens_integ_level}. */
  public static final int INTEG_LEVEL_OFFSET = SENS_LEN_OFFSET + 1;

  /** Offset of {@code sadb_sens_integ_len}. */
  public static final int INTEG_LEN_OFFSET = INTEG_LEVEL_OFFSET + 1;

  /** Offset of {@code sadb_sens_reserved}. */
  public static final int RESERVED_OFFSET = INTEG_LEN_OFFSET + 1;

  /** {@code sizeof(struct sadb_sens)}. */
  public static final int ENCODED_LENGTH = RESERVED_OFFSET + 4;

  @Override
  public int encodedLength() {
    return ENCODED_LENGTH;
  }

  /** Reads {@code sadb_sens_len}. */
  public int len() {
    return getU16(offset + LEN_OFFSET, order);
  }

  /** Writes {@code sadb_sens_len}. */
  public SadbSensFlyweight len(int value) {
    putU16(offset + LEN_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_sens_exttype}. */
  public int exttype() {
    return getU16(offset + EXTTYPE_OFFSET, order);
  }

  /** Writes {@code sadb_sens_exttype}. */
  public SadbSensFlyweight exttype(int value) {
    putU16(offset + EXTTYPE_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_sens_dpd}. */
  public long dpd() {
    return getU32(offset + DPD_OFFSET, order);
  }

  /** Writes {@code sadb_sens_dpd}. */
  public SadbSensFlyweight dpd(long value) {
    putU32(offset + DPD_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_sens_sens_level}. */
  public int sensLevel() {
    return getU8(offset + SENS_LEVEL_OFFSET);
  }

  /** Writes {@code sadb_sens_sens_level}. */
  public SadbSensFlyweight sensLevel(int value) {
    putU8(offset + SENS_LEVEL_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_sens_sens_len}. */
  public int sensLen() {
    return getU8(offset + SENS_LEN_OFFSET);
  }

  /** Writes {@code sadb_sens_sens_len}. */
  public SadbSensFlyweight sensLen(int value) {
    putU8(offset + SENS_LEN_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_sens_integ_level}. */
  public int integLevel() {
    return getU8(offset + INTEG_LEVEL_OFFSET);
  }

  /** Writes {@code sadb_sens_integ_level}. */
  public SadbSensFlyweight integLevel(int value) {
    putU8(offset + INTEG_LEVEL_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_sens_integ_len}. */
  public int integLen() {
    return getU8(offset + INTEG_LEN_OFFSET);
  }

  /** Writes {@code sadb_sens_integ_len}. */
  public SadbSensFlyweight integLen(int value) {
    putU8(offset + INTEG_LEN_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_sens_reserved}. */
  public long reserved() {
    return getU32(offset + RESERVED_OFFSET, order);
  }

  /** Writes {@code sadb_sens_reserved}. */
  public SadbSensFlyweight reserved(long value) {
    putU32(offset + RESERVED_OFFSET, value, order);
    return this;
  }

  /** Reads word {@code i} of the bitmaps that follow (sensitivity words first). */
  public long bitmapWord(int i) {
    return getU64(offset + ENCODED_LENGTH + 8 * i, order);
  }

  /** Writes word {@code i} of the bitmaps that follow. */
  public SadbSensFlyweight bitmapWord(int i, long value) {
    putU64(offset + ENCODED_LENGTH + 8 * i, value, order);
    return this;
  }
}
