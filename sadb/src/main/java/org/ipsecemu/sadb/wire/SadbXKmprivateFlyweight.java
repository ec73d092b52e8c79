package org.ipsecemu.sadb.wire;

/**
 * The Key Management Private Data extension header (RFC 2367 Appendix C); arbitrary data follows.
 *
 * <pre>{@code
 * struct sadb_x_kmprivate {
 *     uint16_t sadb_x_kmprivate_len;
 *     uint16_t sadb_x_kmprivate_exttype;
 *     uint32_t sadb_x_kmprivate_reserved;
 * };
 * // sizeof(struct sadb_x_kmprivate) == 8
 * }</pre>
 */
public final class SadbXKmprivateFlyweight extends Flyweight<SadbXKmprivateFlyweight> {
  /** Offset of {@code sadb_x_kmprivate_len}. */
  public static final int LEN_OFFSET = 0;

  /** Offset of {@code sadb_x_kmprivate_exttype}. */
  public static final int EXTTYPE_OFFSET = LEN_OFFSET + 2;

  /** Offset of {@code sadb_x_kmprivate_reserved}. */
  public static final int RESERVED_OFFSET = EXTTYPE_OFFSET + 2;

  /** {@code sizeof(struct sadb_x_kmprivate)}. */
  public static final int ENCODED_LENGTH = RESERVED_OFFSET + 4;

  @Override
  public int encodedLength() {
    return ENCODED_LENGTH;
  }

  /** Reads {@code sadb_x_kmprivate_len}. */
  public int len() {
    return getU16(offset + LEN_OFFSET, order);
  }

  /** Writes {@code sadb_x_kmprivate_len}. */
  public SadbXKmprivateFlyweight len(int value) {
    putU16(offset + LEN_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_x_kmprivate_exttype}. */
  public int exttype() {
    return getU16(offset + EXTTYPE_OFFSET, order);
  }

  /** Writes {@code sadb_x_kmprivate_exttype}. */
  public SadbXKmprivateFlyweight exttype(int value) {
    putU16(offset + EXTTYPE_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_x_kmprivate_reserved}. */
  public long reserved() {
    return getU32(offset + RESERVED_OFFSET, order);
  }

  /** Writes {@code sadb_x_kmprivate_reserved}. */
  public SadbXKmprivateFlyweight reserved(long value) {
    putU32(offset + RESERVED_OFFSET, value, order);
    return this;
  }
}
