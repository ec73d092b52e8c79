package org.ipsecemu.sadb.wire;

/**
 * The Proposal extension header (RFC 2367 §2.3.7); 72-byte combinations follow ({@link
 * SadbCombFlyweight}).
 *
 * <pre>{@code
 * struct sadb_prop {
 *     uint16_t sadb_prop_len;
 *     uint16_t sadb_prop_exttype;
 *     uint8_t sadb_prop_replay;
 *     uint8_t sadb_prop_reserved[3];
 * };
 * // sizeof(struct sadb_prop) == 8
 * }</pre>
 */
public final class SadbPropFlyweight extends Flyweight<SadbPropFlyweight> {
  /** Offset of {@code sadb_prop_len}. */
  public static final int LEN_OFFSET = 0;

  /** Offset of {@code sadb_prop_exttype}. */
  public static final int EXTTYPE_OFFSET = LEN_OFFSET + 2;

  /** Offset of {@code sadb_prop_replay}. */
  public static final int REPLAY_OFFSET = EXTTYPE_OFFSET + 2;

  /** Offset of {@code sadb_prop_reserved}. */
  public static final int RESERVED_OFFSET = REPLAY_OFFSET + 1;

  /** {@code sizeof(struct sadb_prop)}. */
  public static final int ENCODED_LENGTH = RESERVED_OFFSET + 3;

  @Override
  public int encodedLength() {
    return ENCODED_LENGTH;
  }

  /** Reads {@code sadb_prop_len}. */
  public int len() {
    return getU16(offset + LEN_OFFSET, order);
  }

  /** Writes {@code sadb_prop_len}. */
  public SadbPropFlyweight len(int value) {
    putU16(offset + LEN_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_prop_exttype}. */
  public int exttype() {
    return getU16(offset + EXTTYPE_OFFSET, order);
  }

  /** Writes {@code sadb_prop_exttype}. */
  public SadbPropFlyweight exttype(int value) {
    putU16(offset + EXTTYPE_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_prop_replay}. */
  public int replay() {
    return getU8(offset + REPLAY_OFFSET);
  }

  /** Writes {@code sadb_prop_replay}. */
  public SadbPropFlyweight replay(int value) {
    putU8(offset + REPLAY_OFFSET, value);
    return this;
  }

  /** Zeroes {@code sadb_prop_reserved}. */
  public SadbPropFlyweight clearReserved() {
    zero(offset + RESERVED_OFFSET, 3);
    return this;
  }
}
