package org.ipsecemu.sadb.wire;

/**
 * The Arkko draft's Proposal Reference extension (draft-arkko-pfkey-reference-00 §7.1).
 *
 * <pre>{@code
 * struct sadb_x_pref {
 *     uint16_t sadb_x_pref_len;
 *     uint16_t sadb_x_pref_exttype;
 *     uint32_t sadb_x_pref_what;
 * };
 * // sizeof(struct sadb_x_pref) == 8
 * }</pre>
 */
public final class SadbXPrefFlyweight extends Flyweight<SadbXPrefFlyweight> {
  /** Offset of {@code sadb_x_pref_len}. */
  public static final int LEN_OFFSET = 0;

  /** Offset of {@code sadb_x_pref_exttype}. */
  public static final int EXTTYPE_OFFSET = LEN_OFFSET + 2;

  /** Offset of {@code sadb_x_pref_what}. */
  public static final int WHAT_OFFSET = EXTTYPE_OFFSET + 2;

  /** {@code sizeof(struct sadb_x_pref)}. */
  public static final int ENCODED_LENGTH = WHAT_OFFSET + 4;

  @Override
  public int encodedLength() {
    return ENCODED_LENGTH;
  }

  /** Reads {@code sadb_x_pref_len}. */
  public int len() {
    return getU16(offset + LEN_OFFSET, order);
  }

  /** Writes {@code sadb_x_pref_len}. */
  public SadbXPrefFlyweight len(int value) {
    putU16(offset + LEN_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_x_pref_exttype}. */
  public int exttype() {
    return getU16(offset + EXTTYPE_OFFSET, order);
  }

  /** Writes {@code sadb_x_pref_exttype}. */
  public SadbXPrefFlyweight exttype(int value) {
    putU16(offset + EXTTYPE_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_x_pref_what}. */
  public long what() {
    return getU32(offset + WHAT_OFFSET, order);
  }

  /** Writes {@code sadb_x_pref_what}. */
  public SadbXPrefFlyweight what(long value) {
    putU32(offset + WHAT_OFFSET, value, order);
    return this;
  }
}
