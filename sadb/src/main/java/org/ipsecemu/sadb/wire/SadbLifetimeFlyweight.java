package org.ipsecemu.sadb.wire;

/**
 * The Lifetime extension (RFC 2367 §2.3.2).
 *
 * <pre>{@code
 * struct sadb_lifetime {
 *     uint16_t sadb_lifetime_len;
 *     uint16_t sadb_lifetime_exttype;
 *     uint32_t sadb_lifetime_allocations;
 *     uint64_t sadb_lifetime_bytes;
 *     uint64_t sadb_lifetime_addtime;
 *     uint64_t sadb_lifetime_usetime;
 * };
 * // sizeof(struct sadb_lifetime) == 32
 * }</pre>
 */
public final class SadbLifetimeFlyweight extends Flyweight<SadbLifetimeFlyweight> {
  /** Offset of {@code sadb_lifetime_len}. */
  public static final int LEN_OFFSET = 0;

  /** Offset of {@code sadb_lifetime_exttype}. */
  public static final int EXTTYPE_OFFSET = LEN_OFFSET + 2;

  /** Offset of {@code sadb_lifetime_allocations}. */
  public static final int ALLOCATIONS_OFFSET = EXTTYPE_OFFSET + 2;

  /** Offset of {@code sadb_lifetime_bytes}. */
  public static final int BYTES_OFFSET = ALLOCATIONS_OFFSET + 4;

  /** Offset of {@code sadb_lifetime_addtime}. */
  public static final int ADDTIME_OFFSET = BYTES_OFFSET + 8;

  /** Offset of {@code sadb_lifetime_usetime}. */
  public static final int USETIME_OFFSET = ADDTIME_OFFSET + 8;

  /** {@code sizeof(struct sadb_lifetime)}. */
  public static final int ENCODED_LENGTH = USETIME_OFFSET + 8;

  @Override
  public int encodedLength() {
    return ENCODED_LENGTH;
  }

  /** Reads {@code sadb_lifetime_len}. */
  public int len() {
    return getU16(offset + LEN_OFFSET, order);
  }

  /** Writes {@code sadb_lifetime_len}. */
  public SadbLifetimeFlyweight len(int value) {
    putU16(offset + LEN_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_lifetime_exttype}. */
  public int exttype() {
    return getU16(offset + EXTTYPE_OFFSET, order);
  }

  /** Writes {@code sadb_lifetime_exttype}. */
  public SadbLifetimeFlyweight exttype(int value) {
    putU16(offset + EXTTYPE_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_lifetime_allocations}. */
  public long allocations() {
    return getU32(offset + ALLOCATIONS_OFFSET, order);
  }

  /** Writes {@code sadb_lifetime_allocations}. */
  public SadbLifetimeFlyweight allocations(long value) {
    putU32(offset + ALLOCATIONS_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_lifetime_bytes}. */
  public long bytes() {
    return getU64(offset + BYTES_OFFSET, order);
  }

  /** Writes {@code sadb_lifetime_bytes}. */
  public SadbLifetimeFlyweight bytes(long value) {
    putU64(offset + BYTES_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_lifetime_addtime}. */
  public long addtime() {
    return getU64(offset + ADDTIME_OFFSET, order);
  }

  /** Writes {@code sadb_lifetime_addtime}. */
  public SadbLifetimeFlyweight addtime(long value) {
    putU64(offset + ADDTIME_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_lifetime_usetime}. */
  public long usetime() {
    return getU64(offset + USETIME_OFFSET, order);
  }

  /** Writes {@code sadb_lifetime_usetime}. */
  public SadbLifetimeFlyweight usetime(long value) {
    putU64(offset + USETIME_OFFSET, value, order);
    return this;
  }
}
