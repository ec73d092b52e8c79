package org.ipsecemu.sadb.wire;

/**
 * The Linux NAT traversal type extension (Linux include/uapi/linux/pfkeyv2.h).
 *
 * <pre>{@code
 * struct sadb_x_nat_t_type {
 *     __u16 sadb_x_nat_t_type_len;
 *     __u16 sadb_x_nat_t_type_exttype;
 *     __u8  sadb_x_nat_t_type_type;
 *     __u8  sadb_x_nat_t_type_reserved[3];
 * };
 * // sizeof(struct sadb_x_nat_t_type) == 8
 * }</pre>
 */
public final class SadbXNatTTypeFlyweight extends Flyweight<SadbXNatTTypeFlyweight> {
  /** Offset of {@code sadb_x_nat_t_type_len}. */
  public static final int LEN_OFFSET = 0;

  /** Offset of {@code sadb_x_nat_t_type_exttype}. */
  public static final int EXTTYPE_OFFSET = LEN_OFFSET + 2;

  /** Offset of {@code sadb_x_nat_t_type_type}. */
  public static final int TYPE_OFFSET = EXTTYPE_OFFSET + 2;

  /** Offset of {@code sadb_x_nat_t_type_reserved}. */
  public static final int RESERVED_OFFSET = TYPE_OFFSET + 1;

  /** {@code sizeof(struct sadb_x_nat_t_type)}. */
  public static final int ENCODED_LENGTH = RESERVED_OFFSET + 3;

  @Override
  public int encodedLength() {
    return ENCODED_LENGTH;
  }

  /** Reads {@code sadb_x_nat_t_type_len}. */
  public int len() {
    return getU16(offset + LEN_OFFSET, order);
  }

  /** Writes {@code sadb_x_nat_t_type_len}. */
  public SadbXNatTTypeFlyweight len(int value) {
    putU16(offset + LEN_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_x_nat_t_type_exttype}. */
  public int exttype() {
    return getU16(offset + EXTTYPE_OFFSET, order);
  }

  /** Writes {@code sadb_x_nat_t_type_exttype}. */
  public SadbXNatTTypeFlyweight exttype(int value) {
    putU16(offset + EXTTYPE_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_x_nat_t_type_type}. */
  public int type() {
    return getU8(offset + TYPE_OFFSET);
  }

  /** Writes {@code sadb_x_nat_t_type_type}. */
  public SadbXNatTTypeFlyweight type(int value) {
    putU8(offset + TYPE_OFFSET, value);
    return this;
  }

  /** Zeroes {@code sadb_x_nat_t_type_reserved}. */
  public SadbXNatTTypeFlyweight clearReserved() {
    zero(offset + RESERVED_OFFSET, 3);
    return this;
  }
}
