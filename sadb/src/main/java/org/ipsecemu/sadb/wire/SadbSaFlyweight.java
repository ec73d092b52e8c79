package org.ipsecemu.sadb.wire;

/**
 * The Association extension (RFC 2367 §2.3.1); the SPI is in network byte order.
 *
 * <pre>{@code
 * struct sadb_sa {
 *     uint16_t sadb_sa_len;
 *     uint16_t sadb_sa_exttype;
 *     uint32_t sadb_sa_spi;
 *     uint8_t sadb_sa_replay;
 *     uint8_t sadb_sa_state;
 *     uint8_t sadb_sa_auth;
 *     uint8_t sadb_sa_encrypt;
 *     uint32_t sadb_sa_flags;
 * };
 * // sizeof(struct sadb_sa) == 16
 * }</pre>
 */
public final class SadbSaFlyweight extends Flyweight<SadbSaFlyweight> {
  /** Offset of {@code sadb_sa_len}. */
  public static final int LEN_OFFSET = 0;

  /** Offset of {@code sadb_sa_exttype}. */
  public static final int EXTTYPE_OFFSET = LEN_OFFSET + 2;

  /** Offset of {@code sadb_sa_spi}. */
  public static final int SPI_OFFSET = EXTTYPE_OFFSET + 2;

  /** Offset of {@code sadb_sa_replay}. */
  public static final int REPLAY_OFFSET = SPI_OFFSET + 4;

  /** Offset of {@code sadb_sa_state}. */
  public static final int STATE_OFFSET = REPLAY_OFFSET + 1;

  /** Offset of {@code sadb_sa_auth}. */
  public static final int AUTH_OFFSET = STATE_OFFSET + 1;

  /** Offset of {@code sadb_sa_encrypt}. */
  public static final int ENCRYPT_OFFSET = AUTH_OFFSET + 1;

  /** Offset of {@code sadb_sa_flags}. */
  public static final int FLAGS_OFFSET = ENCRYPT_OFFSET + 1;

  /** {@code sizeof(struct sadb_sa)}. */
  public static final int ENCODED_LENGTH = FLAGS_OFFSET + 4;

  @Override
  public int encodedLength() {
    return ENCODED_LENGTH;
  }

  /** Reads {@code sadb_sa_len}. */
  public int len() {
    return getU16(offset + LEN_OFFSET, order);
  }

  /** Writes {@code sadb_sa_len}. */
  public SadbSaFlyweight len(int value) {
    putU16(offset + LEN_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_sa_exttype}. */
  public int exttype() {
    return getU16(offset + EXTTYPE_OFFSET, order);
  }

  /** Writes {@code sadb_sa_exttype}. */
  public SadbSaFlyweight exttype(int value) {
    putU16(offset + EXTTYPE_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_sa_spi} (network byte order). */
  public long spi() {
    return getU32(offset + SPI_OFFSET, java.nio.ByteOrder.BIG_ENDIAN);
  }

  /** Writes {@code sadb_sa_spi} (network byte order). */
  public SadbSaFlyweight spi(long value) {
    putU32(offset + SPI_OFFSET, value, java.nio.ByteOrder.BIG_ENDIAN);
    return this;
  }

  /** Reads {@code sadb_sa_replay}. */
  public int replay() {
    return getU8(offset + REPLAY_OFFSET);
  }

  /** Writes {@code sadb_sa_replay}. */
  public SadbSaFlyweight replay(int value) {
    putU8(offset + REPLAY_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_sa_state}. */
  public int state() {
    return getU8(offset + STATE_OFFSET);
  }

  /** Writes {@code sadb_sa_state}. */
  public SadbSaFlyweight state(int value) {
    putU8(offset + STATE_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_sa_auth}. */
  public int auth() {
    return getU8(offset + AUTH_OFFSET);
  }

  /** Writes {@code sadb_sa_auth}. */
  public SadbSaFlyweight auth(int value) {
    putU8(offset + AUTH_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_sa_encrypt}. */
  public int encrypt() {
    return getU8(offset + ENCRYPT_OFFSET);
  }

  /** Writes {@code sadb_sa_encrypt}. */
  public SadbSaFlyweight encrypt(int value) {
    putU8(offset + ENCRYPT_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_sa_flags}. */
  public long flags() {
    return getU32(offset + FLAGS_OFFSET, order);
  }

  /** Writes {@code sadb_sa_flags}. */
  public SadbSaFlyweight flags(long value) {
    putU32(offset + FLAGS_OFFSET, value, order);
    return this;
  }
}
