package org.ipsecemu.sadb.wire;

/**
 * The base message header (RFC 2367 §2.1).
 *
 * <pre>{@code
 * struct sadb_msg {
 *     uint8_t sadb_msg_version;
 *     uint8_t sadb_msg_type;
 *     uint8_t sadb_msg_errno;
 *     uint8_t sadb_msg_satype;
 *     uint16_t sadb_msg_len;
 *     uint16_t sadb_msg_reserved;
 *     uint32_t sadb_msg_seq;
 *     uint32_t sadb_msg_pid;
 * };
 * // sizeof(struct sadb_msg) == 16
 * }</pre>
 */
public final class SadbMsgFlyweight extends Flyweight<SadbMsgFlyweight> {
  /** Offset of {@code sadb_msg_version}. */
  public static final int VERSION_OFFSET = 0;

  /** Offset of {@code sadb_msg_type}. */
  public static final int TYPE_OFFSET = VERSION_OFFSET + 1;

  /** Offset of {@code sadb_msg_errno}. */
  public static final int ERRNO_OFFSET = TYPE_OFFSET + 1;

  /** Offset of {@code sadb_msg_satype}. */
  public static final int SATYPE_OFFSET = ERRNO_OFFSET + 1;

  /** Offset of {@code sadb_msg_len}. */
  public static final int LEN_OFFSET = SATYPE_OFFSET + 1;

  /** Offset of {@code sadb_msg_reserved}. */
  public static final int RESERVED_OFFSET = LEN_OFFSET + 2;

  /** Offset of {@code sadb_msg_seq}. */
  public static final int SEQ_OFFSET = RESERVED_OFFSET + 2;

  /** Offset of {@code sadb_msg_pid}. */
  public static final int PID_OFFSET = SEQ_OFFSET + 4;

  /** {@code sizeof(struct sadb_msg)}. */
  public static final int ENCODED_LENGTH = PID_OFFSET + 4;

  @Override
  public int encodedLength() {
    return ENCODED_LENGTH;
  }

  /** Reads {@code sadb_msg_version}. */
  public int version() {
    return getU8(offset + VERSION_OFFSET);
  }

  /** Writes {@code sadb_msg_version}. */
  public SadbMsgFlyweight version(int value) {
    putU8(offset + VERSION_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_msg_type}. */
  public int type() {
    return getU8(offset + TYPE_OFFSET);
  }

  /** Writes {@code sadb_msg_type}. */
  public SadbMsgFlyweight type(int value) {
    putU8(offset + TYPE_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_msg_errno}. */
  public int errno() {
    return getU8(offset + ERRNO_OFFSET);
  }

  /** Writes {@code sadb_msg_errno}. */
  public SadbMsgFlyweight errno(int value) {
    putU8(offset + ERRNO_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_msg_satype}. */
  public int satype() {
    return getU8(offset + SATYPE_OFFSET);
  }

  /** Writes {@code sadb_msg_satype}. */
  public SadbMsgFlyweight satype(int value) {
    putU8(offset + SATYPE_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_msg_len}. */
  public int len() {
    return getU16(offset + LEN_OFFSET, order);
  }

  /** Writes {@code sadb_msg_len}. */
  public SadbMsgFlyweight len(int value) {
    putU16(offset + LEN_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_msg_reserved}. */
  public int reserved() {
    return getU16(offset + RESERVED_OFFSET, order);
  }

  /** Writes {@code sadb_msg_reserved}. */
  public SadbMsgFlyweight reserved(int value) {
    putU16(offset + RESERVED_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_msg_seq}. */
  public long seq() {
    return getU32(offset + SEQ_OFFSET, order);
  }

  /** Writes {@code sadb_msg_seq}. */
  public SadbMsgFlyweight seq(long value) {
    putU32(offset + SEQ_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_msg_pid}. */
  public long pid() {
    return getU32(offset + PID_OFFSET, order);
  }

  /** Writes {@code sadb_msg_pid}. */
  public SadbMsgFlyweight pid(long value) {
    putU32(offset + PID_OFFSET, value, order);
    return this;
  }
}
