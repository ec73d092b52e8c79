package org.ipsecemu.sadb.wire;

/**
 * One IPsec request of a policy extension (Linux include/uapi/linux/pfkeyv2.h). Its length counts
 * bytes, and two sockaddrs (SA source, SA destination) may follow, padded together to 64 bits.
 *
 * <pre>{@code
 * struct sadb_x_ipsecrequest {
 *     __u16 sadb_x_ipsecrequest_len;
 *     __u16 sadb_x_ipsecrequest_proto;
 *     __u8  sadb_x_ipsecrequest_mode;
 *     __u8  sadb_x_ipsecrequest_level;
 *     __u16 sadb_x_ipsecrequest_reserved1;
 *     __u32 sadb_x_ipsecrequest_reqid;
 *     __u32 sadb_x_ipsecrequest_reserved2;
 * };
 * // sizeof(struct sadb_x_ipsecrequest) == 16
 * }</pre>
 */
public final class SadbXIpsecrequestFlyweight extends Flyweight<SadbXIpsecrequestFlyweight> {
  /** Offset of {@code sadb_x_ipsecrequest_len}. */
  public static final int LEN_OFFSET = 0;

  /** Offset of {@code sadb_x_ipsecrequest_proto}. */
  public static final int PROTO_OFFSET = LEN_OFFSET + 2;

  /** Offset of {@code sadb_x_ipsecrequest_mode}. */
  public static final int MODE_OFFSET = PROTO_OFFSET + 2;

  /** Offset of {@code sadb_x_ipsecrequest_level}. */
  public static final int LEVEL_OFFSET = MODE_OFFSET + 1;

  /** Offset of {@code sadb_x_ipsecrequest_reserved1}. */
  public static final int RESERVED1_OFFSET = LEVEL_OFFSET + 1;

  /** Offset of {@code sadb_x_ipsecrequest_reqid}. */
  public static final int REQID_OFFSET = RESERVED1_OFFSET + 2;

  /** Offset of {@code sadb_x_ipsecrequest_reserved2}. */
  public static final int RESERVED2_OFFSET = REQID_OFFSET + 4;

  /** {@code sizeof(struct sadb_x_ipsecrequest)}. */
  public static final int ENCODED_LENGTH = RESERVED2_OFFSET + 4;

  @Override
  public int encodedLength() {
    return ENCODED_LENGTH;
  }

  /** Reads {@code sadb_x_ipsecrequest_len}. */
  public int len() {
    return getU16(offset + LEN_OFFSET, order);
  }

  /** Writes {@code sadb_x_ipsecrequest_len}. */
  public SadbXIpsecrequestFlyweight len(int value) {
    putU16(offset + LEN_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_x_ipsecrequest_proto}. */
  public int proto() {
    return getU16(offset + PROTO_OFFSET, order);
  }

  /** Writes {@code sadb_x_ipsecrequest_proto}. */
  public SadbXIpsecrequestFlyweight proto(int value) {
    putU16(offset + PROTO_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_x_ipsecrequest_mode}. */
  public int mode() {
    return getU8(offset + MODE_OFFSET);
  }

  /** Writes {@code sadb_x_ipsecrequest_mode}. */
  public SadbXIpsecrequestFlyweight mode(int value) {
    putU8(offset + MODE_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_x_ipsecrequest_level}. */
  public int level() {
    return getU8(offset + LEVEL_OFFSET);
  }

  /** Writes {@code sadb_x_ipsecrequest_level}. */
  public SadbXIpsecrequestFlyweight level(int value) {
    putU8(offset + LEVEL_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_x_ipsecrequest_reserved1}. */
  public int reserved1() {
    return getU16(offset + RESERVED1_OFFSET, order);
  }

  /** Writes {@code sadb_x_ipsecrequest_reserved1}. */
  public SadbXIpsecrequestFlyweight reserved1(int value) {
    putU16(offset + RESERVED1_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_x_ipsecrequest_reqid}. */
  public long reqid() {
    return getU32(offset + REQID_OFFSET, order);
  }

  /** Writes {@code sadb_x_ipsecrequest_reqid}. */
  public SadbXIpsecrequestFlyweight reqid(long value) {
    putU32(offset + REQID_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_x_ipsecrequest_reserved2}. */
  public long reserved2() {
    return getU32(offset + RESERVED2_OFFSET, order);
  }

  /** Writes {@code sadb_x_ipsecrequest_reserved2}. */
  public SadbXIpsecrequestFlyweight reserved2(long value) {
    putU32(offset + RESERVED2_OFFSET, value, order);
    return this;
  }
}
