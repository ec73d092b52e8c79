package org.ipsecemu.sadb.wire;

/**
 * The Supported Algorithms extension header (RFC 2367 §2.3.8); 8-byte algorithm descriptions follow
 * ({@link SadbAlgFlyweight}).
 *
 * <pre>{@code
 * struct sadb_supported {
 *     uint16_t sadb_supported_len;
 *     uint16_t sadb_supported_exttype;
 *     uint32_t sadb_supported_reserved;
 * };
 * // sizeof(struct sadb_supported) == 8
 * }</pre>
 */
public final class SadbSupportedFlyweight extends Flyweight<SadbSupportedFlyweight> {
  /** Offset of {@code sadb_supported_len}. */
  public static final int LEN_OFFSET = 0;

  /** Offset of {@code sadb_supported_exttype}. */
  public static final int EXTTYPE_OFFSET = LEN_OFFSET + 2;

  /** Offset of {@code sadb_supported_reserved}. */
  public static final int RESERVED_OFFSET = EXTTYPE_OFFSET + 2;

  /** {@code sizeof(struct sadb_supported)}. */
  public static final int ENCODED_LENGTH = RESERVED_OFFSET + 4;

  @Override
  public int encodedLength() {
    return ENCODED_LENGTH;
  }

  /** Reads {@code sadb_supported_len}. */
  public int len() {
    return getU16(offset + LEN_OFFSET, order);
  }

  /** Writes {@code sadb_supported_len}. */
  public SadbSupportedFlyweight len(int value) {
    putU16(offset + LEN_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_supported_exttype}. */
  public int exttype() {
    return getU16(offset + EXTTYPE_OFFSET, order);
  }

  /** Writes {@code sadb_supported_exttype}. */
  public SadbSupportedFlyweight exttype(int value) {
    putU16(offset + EXTTYPE_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_supported_reserved}. */
  public long reserved() {
    return getU32(offset + RESERVED_OFFSET, order);
  }

  /** Writes {@code sadb_supported_reserved}. */
  public SadbSupportedFlyweight reserved(long value) {
    putU32(offset + RESERVED_OFFSET, value, order);
    return this;
  }
}
