package org.ipsecemu.sadb.wire;

/**
 * The Linux/KAME second association extension (Linux include/uapi/linux/pfkeyv2.h).
 *
 * <pre>{@code
 * struct sadb_x_sa2 {
 *     __u16 sadb_x_sa2_len;
 *     __u16 sadb_x_sa2_exttype;
 *     __u8  sadb_x_sa2_mode;
 *     __u8  sadb_x_sa2_reserved1;
 *     __u16 sadb_x_sa2_reserved2;
 *     __u32 sadb_x_sa2_sequence;
 *     __u32 sadb_x_sa2_reqid;
 * };
 * // sizeof(struct sadb_x_sa2) == 16
 * }</pre>
 */
public final class SadbXSa2Flyweight extends Flyweight<SadbXSa2Flyweight> {
  /** Offset of {@code sadb_x_sa2_len}. */
  public static final int LEN_OFFSET = 0;

  /** Offset of {@code sadb_x_sa2_exttype}. */
  public static final int EXTTYPE_OFFSET = LEN_OFFSET + 2;

  /** Offset of {@code sadb_x_sa2_mode}. */
  public static final int MODE_OFFSET = EXTTYPE_OFFSET + 2;

  /** Offset of {@code sadb_x_sa2_reserved1}. */
  public static final int RESERVED1_OFFSET = MODE_OFFSET + 1;

  /** Offset of {@code sadb_x_sa2_reserved2}. */
  public static final int RESERVED2_OFFSET = RESERVED1_OFFSET + 1;

  /** Offset of {@code sadb_x_sa2_sequence}. */
  public static final int SEQUENCE_OFFSET = RESERVED2_OFFSET + 2;

  /** Offset of {@code sadb_x_sa2_reqid}. */
  public static final int REQID_OFFSET = SEQUENCE_OFFSET + 4;

  /** {@code sizeof(struct sadb_x_sa2)}. */
  public static final int ENCODED_LENGTH = REQID_OFFSET + 4;

  @Override
  public int encodedLength() {
    return ENCODED_LENGTH;
  }

  /** Reads {@code sadb_x_sa2_len}. */
  public int len() {
    return getU16(offset + LEN_OFFSET, order);
  }

  /** Writes {@code sadb_x_sa2_len}. */
  public SadbXSa2Flyweight len(int value) {
    putU16(offset + LEN_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_x_sa2_exttype}. */
  public int exttype() {
    return getU16(offset + EXTTYPE_OFFSET, order);
  }

  /** Writes {@code sadb_x_sa2_exttype}. */
  public SadbXSa2Flyweight exttype(int value) {
    putU16(offset + EXTTYPE_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_x_sa2_mode}. */
  public int mode() {
    return getU8(offset + MODE_OFFSET);
  }

  /** Writes {@code sadb_x_sa2_mode}. */
  public SadbXSa2Flyweight mode(int value) {
    putU8(offset + MODE_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_x_sa2_reserved1}. */
  public int reserved1() {
    return getU8(offset + RESERVED1_OFFSET);
  }

  /** Writes {@code sadb_x_sa2_reserved1}. */
  public SadbXSa2Flyweight reserved1(int value) {
    putU8(offset + RESERVED1_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_x_sa2_reserved2}. */
  public int reserved2() {
    return getU16(offset + RESERVED2_OFFSET, order);
  }

  /** Writes {@code sadb_x_sa2_reserved2}. */
  public SadbXSa2Flyweight reserved2(int value) {
    putU16(offset + RESERVED2_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_x_sa2_sequence}. */
  public long sequence() {
    return getU32(offset + SEQUENCE_OFFSET, order);
  }

  /** Writes {@code sadb_x_sa2_sequence}. */
  public SadbXSa2Flyweight sequence(long value) {
    putU32(offset + SEQUENCE_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_x_sa2_reqid}. */
  public long reqid() {
    return getU32(offset + REQID_OFFSET, order);
  }

  /** Writes {@code sadb_x_sa2_reqid}. */
  public SadbXSa2Flyweight reqid(long value) {
    putU32(offset + REQID_OFFSET, value, order);
    return this;
  }
}
