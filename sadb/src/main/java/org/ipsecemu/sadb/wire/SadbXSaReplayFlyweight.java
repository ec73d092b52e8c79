package org.ipsecemu.sadb.wire;

/**
 * FreeBSD's replay window extension, SADB_X_EXT_SA_REPLAY (FreeBSD {@code net/pfkeyv2.h}).
 *
 * <pre>{@code
 * struct sadb_x_sa_replay {
 *     uint16_t sadb_x_sa_replay_len;
 *     uint16_t sadb_x_sa_replay_exttype;
 *     uint32_t sadb_x_sa_replay_replay;  // in packets
 * };
 * // sizeof(struct sadb_x_sa_replay) == 8
 * }</pre>
 */
public final class SadbXSaReplayFlyweight extends Flyweight<SadbXSaReplayFlyweight> {
  /** Offset of {@code sadb_x_sa_replay_len}. */
  public static final int LEN_OFFSET = 0;

  /** Offset of {@code sadb_x_sa_replay_exttype}. */
  public static final int EXTTYPE_OFFSET = LEN_OFFSET + 2;

  /** Offset of {@code sadb_x_sa_replay_replay}. */
  public static final int REPLAY_OFFSET = EXTTYPE_OFFSET + 2;

  /** {@code sizeof(struct sadb_x_sa_replay)}. */
  public static final int ENCODED_LENGTH = REPLAY_OFFSET + 4;

  @Override
  public int encodedLength() {
    return ENCODED_LENGTH;
  }

  /** Reads {@code sadb_x_sa_replay_len}. */
  public int len() {
    return getU16(offset + LEN_OFFSET, order);
  }

  /** Writes {@code sadb_x_sa_replay_len}. */
  public SadbXSaReplayFlyweight len(int value) {
    putU16(offset + LEN_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_x_sa_replay_exttype}. */
  public int exttype() {
    return getU16(offset + EXTTYPE_OFFSET, order);
  }

  /** Writes {@code sadb_x_sa_replay_exttype}. */
  public SadbXSaReplayFlyweight exttype(int value) {
    putU16(offset + EXTTYPE_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_x_sa_replay_replay}. */
  public long replay() {
    return getU32(offset + REPLAY_OFFSET, order);
  }

  /** Writes {@code sadb_x_sa_replay_replay}. */
  public SadbXSaReplayFlyweight replay(long value) {
    putU32(offset + REPLAY_OFFSET, value, order);
    return this;
  }
}
