package org.ipsecemu.sadb.wire;

/**
 * The Linux/KAME policy extension header (Linux include/uapi/linux/pfkeyv2.h); IPsec requests
 * follow ({@link SadbXIpsecrequestFlyweight}).
 *
 * <pre>{@code
 * struct sadb_x_policy {
 *     __u16 sadb_x_policy_len;
 *     __u16 sadb_x_policy_exttype;
 *     __u16 sadb_x_policy_type;
 *     __u8  sadb_x_policy_dir;
 *     __u8  sadb_x_policy_reserved;
 *     __u32 sadb_x_policy_id;
 *     __u32 sadb_x_policy_priority;
 * };
 * // sizeof(struct sadb_x_policy) == 16
 * }</pre>
 */
public final class SadbXPolicyFlyweight extends Flyweight<SadbXPolicyFlyweight> {
  /** Offset of {@code sadb_x_policy_len}. */
  public static final int LEN_OFFSET = 0;

  /** Offset of {@code sadb_x_policy_exttype}. */
  public static final int EXTTYPE_OFFSET = LEN_OFFSET + 2;

  /** Offset of {@code sadb_x_policy_type}. */
  public static final int TYPE_OFFSET = EXTTYPE_OFFSET + 2;

  /** Offset of {@code sadb_x_policy_dir}. */
  public static final int DIR_OFFSET = TYPE_OFFSET + 2;

  /** Offset of {@code sadb_x_policy_reserved}. */
  public static final int RESERVED_OFFSET = DIR_OFFSET + 1;

  /** Offset of {@code sadb_x_policy_id}. */
  public static final int ID_OFFSET = RESERVED_OFFSET + 1;

  /** Offset of {@code sadb_x_policy_priority}. */
  public static final int PRIORITY_OFFSET = ID_OFFSET + 4;

  /** {@code sizeof(struct sadb_x_policy)}. */
  public static final int ENCODED_LENGTH = PRIORITY_OFFSET + 4;

  @Override
  public int encodedLength() {
    return ENCODED_LENGTH;
  }

  /** Reads {@code sadb_x_policy_len}. */
  public int len() {
    return getU16(offset + LEN_OFFSET, order);
  }

  /** Writes {@code sadb_x_policy_len}. */
  public SadbXPolicyFlyweight len(int value) {
    putU16(offset + LEN_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_x_policy_exttype}. */
  public int exttype() {
    return getU16(offset + EXTTYPE_OFFSET, order);
  }

  /** Writes {@code sadb_x_policy_exttype}. */
  public SadbXPolicyFlyweight exttype(int value) {
    putU16(offset + EXTTYPE_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_x_policy_type}. */
  public int type() {
    return getU16(offset + TYPE_OFFSET, order);
  }

  /** Writes {@code sadb_x_policy_type}. */
  public SadbXPolicyFlyweight type(int value) {
    putU16(offset + TYPE_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_x_policy_dir}. */
  public int dir() {
    return getU8(offset + DIR_OFFSET);
  }

  /** Writes {@code sadb_x_policy_dir}. */
  public SadbXPolicyFlyweight dir(int value) {
    putU8(offset + DIR_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_x_policy_reserved}. */
  public int reserved() {
    return getU8(offset + RESERVED_OFFSET);
  }

  /** Writes {@code sadb_x_policy_reserved}. */
  public SadbXPolicyFlyweight reserved(int value) {
    putU8(offset + RESERVED_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_x_policy_id}. */
  public long id() {
    return getU32(offset + ID_OFFSET, order);
  }

  /** Writes {@code sadb_x_policy_id}. */
  public SadbXPolicyFlyweight id(long value) {
    putU32(offset + ID_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_x_policy_priority}. */
  public long priority() {
    return getU32(offset + PRIORITY_OFFSET, order);
  }

  /** Writes {@code sadb_x_policy_priority}. */
  public SadbXPolicyFlyweight priority(long value) {
    putU32(offset + PRIORITY_OFFSET, value, order);
    return this;
  }
}
