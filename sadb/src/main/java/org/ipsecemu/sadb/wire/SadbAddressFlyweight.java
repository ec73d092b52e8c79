package org.ipsecemu.sadb.wire;

/**
 * The Address extension header (RFC 2367 §2.3.3); a sockaddr follows ({@link SockaddrFlyweight}).
 *
 * <pre>{@code
 * struct sadb_address {
 *     uint16_t sadb_address_len;
 *     uint16_t sadb_address_exttype;
 *     uint8_t sadb_address_proto;
 *     uint8_t sadb_address_prefixlen;
 *     uint16_t sadb_address_reserved;
 * };
 * // sizeof(struct sadb_address) == 8
 * // followed by some form of struct sockaddr
 * }</pre>
 */
public final class SadbAddressFlyweight extends Flyweight<SadbAddressFlyweight> {
  /** Offset of {@code sadb_address_len}. */
  public static final int LEN_OFFSET = 0;

  /** Offset of {@code sadb_address_exttype}. */
  public static final int EXTTYPE_OFFSET = LEN_OFFSET + 2;

  /** Offset of {@code sadb_address_proto}. */
  public static final int PROTO_OFFSET = EXTTYPE_OFFSET + 2;

  /** Offset of {@code sadb_address_prefixlen}. */
  public static final int PREFIXLEN_OFFSET = PROTO_OFFSET + 1;

  /** Offset of {@code sadb_address_reserved}. */
  public static final int RESERVED_OFFSET = PREFIXLEN_OFFSET + 1;

  /** {@code sizeof(struct sadb_address)}. */
  public static final int ENCODED_LENGTH = RESERVED_OFFSET + 2;

  @Override
  public int encodedLength() {
    return ENCODED_LENGTH;
  }

  /** Reads {@code sadb_address_len}. */
  public int len() {
    return getU16(offset + LEN_OFFSET, order);
  }

  /** Writes {@code sadb_address_len}. */
  public SadbAddressFlyweight len(int value) {
    putU16(offset + LEN_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_address_exttype}. */
  public int exttype() {
    return getU16(offset + EXTTYPE_OFFSET, order);
  }

  /** Writes {@code sadb_address_exttype}. */
  public SadbAddressFlyweight exttype(int value) {
    putU16(offset + EXTTYPE_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_address_proto}. */
  public int proto() {
    return getU8(offset + PROTO_OFFSET);
  }

  /** Writes {@code sadb_address_proto}. */
  public SadbAddressFlyweight proto(int value) {
    putU8(offset + PROTO_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_address_prefixlen}. */
  public int prefixlen() {
    return getU8(offset + PREFIXLEN_OFFSET);
  }

  /** Writes {@code sadb_address_prefixlen}. */
  public SadbAddressFlyweight prefixlen(int value) {
    putU8(offset + PREFIXLEN_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_address_reserved}. */
  public int reserved() {
    return getU16(offset + RESERVED_OFFSET, order);
  }

  /** Writes {@code sadb_address_reserved}. */
  public SadbAddressFlyweight reserved(int value) {
    putU16(offset + RESERVED_OFFSET, value, order);
    return this;
  }
}
