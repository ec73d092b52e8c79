package org.ipsecemu.sadb.wire;

/**
 * One algorithm description of a Supported Algorithms extension (RFC 2367 §2.3.8).
 *
 * <pre>{@code
 * struct sadb_alg {
 *     uint8_t sadb_alg_id;
 *     uint8_t sadb_alg_ivlen;
 *     uint16_t sadb_alg_minbits;
 *     uint16_t sadb_alg_maxbits;
 *     uint16_t sadb_alg_reserved;
 * };
 * // sizeof(struct sadb_alg) == 8
 * }</pre>
 */
public final class SadbAlgFlyweight extends Flyweight<SadbAlgFlyweight> {
  /** Offset of {@code sadb_alg_id}. */
  public static final int ID_OFFSET = 0;

  /** Offset of {@code sadb_alg_ivlen}. */
  public static final int IVLEN_OFFSET = ID_OFFSET + 1;

  /** Offset of {@code sadb_alg_minbits}. */
  public static final int MINBITS_OFFSET = IVLEN_OFFSET + 1;

  /** Offset of {@code sadb_alg_maxbits}. */
  public static final int MAXBITS_OFFSET = MINBITS_OFFSET + 2;

  /** Offset of {@code sadb_alg_reserved}. */
  public static final int RESERVED_OFFSET = MAXBITS_OFFSET + 2;

  /** {@code sizeof(struct sadb_alg)}. */
  public static final int ENCODED_LENGTH = RESERVED_OFFSET + 2;

  @Override
  public int encodedLength() {
    return ENCODED_LENGTH;
  }

  /** Reads {@code sadb_alg_id}. */
  public int id() {
    return getU8(offset + ID_OFFSET);
  }

  /** Writes {@code sadb_alg_id}. */
  public SadbAlgFlyweight id(int value) {
    putU8(offset + ID_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_alg_ivlen}. */
  public int ivlen() {
    return getU8(offset + IVLEN_OFFSET);
  }

  /** Writes {@code sadb_alg_ivlen}. */
  public SadbAlgFlyweight ivlen(int value) {
    putU8(offset + IVLEN_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_alg_minbits}. */
  public int minbits() {
    return getU16(offset + MINBITS_OFFSET, order);
  }

  /** Writes {@code sadb_alg_minbits}. */
  public SadbAlgFlyweight minbits(int value) {
    putU16(offset + MINBITS_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_alg_maxbits}. */
  public int maxbits() {
    return getU16(offset + MAXBITS_OFFSET, order);
  }

  /** Writes {@code sadb_alg_maxbits}. */
  public SadbAlgFlyweight maxbits(int value) {
    putU16(offset + MAXBITS_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_alg_reserved}. */
  public int reserved() {
    return getU16(offset + RESERVED_OFFSET, order);
  }

  /** Writes {@code sadb_alg_reserved}. */
  public SadbAlgFlyweight reserved(int value) {
    putU16(offset + RESERVED_OFFSET, value, order);
    return this;
  }
}
