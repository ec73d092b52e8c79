package org.ipsecemu.sadb.wire;

/**
 * One proposed combination of a Proposal extension (RFC 2367 §2.3.7).
 *
 * <pre>{@code
 * struct sadb_comb {
 *     uint8_t sadb_comb_auth;
 *     uint8_t sadb_comb_encrypt;
 *     uint16_t sadb_comb_flags;
 *     uint16_t sadb_comb_auth_minbits;
 *     uint16_t sadb_comb_auth_maxbits;
 *     uint16_t sadb_comb_encrypt_minbits;
 *     uint16_t sadb_comb_encrypt_maxbits;
 *     uint32_t sadb_comb_reserved;
 *     uint32_t sadb_comb_soft_allocations;
 *     uint32_t sadb_comb_hard_allocations;
 *     uint64_t sadb_comb_soft_bytes;
 *     uint64_t sadb_comb_hard_bytes;
 *     uint64_t sadb_comb_soft_addtime;
 *     uint64_t sadb_comb_hard_addtime;
 *     uint64_t sadb_comb_soft_usetime;
 *     uint64_t sadb_comb_hard_usetime;
 * };
 * // sizeof(struct sadb_comb) == 72
 * }</pre>
 */
public final class SadbCombFlyweight extends Flyweight<SadbCombFlyweight> {
  /** Offset of {@code sadb_comb_auth}. */
  public static final int AUTH_OFFSET = 0;

  /** Offset of {@code sadb_comb_encrypt}. */
  public static final int ENCRYPT_OFFSET = AUTH_OFFSET + 1;

  /** Offset of {@code sadb_comb_flags}. */
  public static final int FLAGS_OFFSET = ENCRYPT_OFFSET + 1;

  /** Offset of {@code sadb_comb_auth_minbits}. */
  public static final int AUTH_MINBITS_OFFSET = FLAGS_OFFSET + 2;

  /** Offset of {@code sadb_comb_auth_maxbits}. */
  public static final int AUTH_MAXBITS_OFFSET = AUTH_MINBITS_OFFSET + 2;

  /** Offset of {@code sadb_comb_encrypt_minbits}. */
  public static final int ENCRYPT_MINBITS_OFFSET = AUTH_MAXBITS_OFFSET + 2;

  /** Offset of {@code sadb_comb_encrypt_maxbits}. */
  public static final int ENCRYPT_MAXBITS_OFFSET = ENCRYPT_MINBITS_OFFSET + 2;

  /** Offset of {@code sadb_comb_reserved}. */
  public static final int RESERVED_OFFSET = ENCRYPT_MAXBITS_OFFSET + 2;

  /** Offset of {@code sadb_comb_soft_allocations}. */
  public static final int SOFT_ALLOCATIONS_OFFSET = RESERVED_OFFSET + 4;

  /** Offset of {@code sadb_comb_hard_allocations}. */
  public static final int HARD_ALLOCATIONS_OFFSET = SOFT_ALLOCATIONS_OFFSET + 4;

  /** Offset of {@code sadb_comb_soft_bytes}. */
  public static final int SOFT_BYTES_OFFSET = HARD_ALLOCATIONS_OFFSET + 4;

  /** Offset of {@code sadb_comb_hard_bytes}. */
  public static final int HARD_BYTES_OFFSET = SOFT_BYTES_OFFSET + 8;

  /** Offset of {@code sadb_comb_soft_addtime}. */
  public static final int SOFT_ADDTIME_OFFSET = HARD_BYTES_OFFSET + 8;

  /** Offset of {@code sadb_comb_hard_addtime}. */
  public static final int HARD_ADDTIME_OFFSET = SOFT_ADDTIME_OFFSET + 8;

  /** Offset of {@code sadb_comb_soft_usetime}. */
  public static final int SOFT_USETIME_OFFSET = HARD_ADDTIME_OFFSET + 8;

  /** Offset of {@code sadb_comb_hard_usetime}. */
  public static final int HARD_USETIME_OFFSET = SOFT_USETIME_OFFSET + 8;

  /** {@code sizeof(struct sadb_comb)}. */
  public static final int ENCODED_LENGTH = HARD_USETIME_OFFSET + 8;

  @Override
  public int encodedLength() {
    return ENCODED_LENGTH;
  }

  /** Reads {@code sadb_comb_auth}. */
  public int auth() {
    return getU8(offset + AUTH_OFFSET);
  }

  /** Writes {@code sadb_comb_auth}. */
  public SadbCombFlyweight auth(int value) {
    putU8(offset + AUTH_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_comb_encrypt}. */
  public int encrypt() {
    return getU8(offset + ENCRYPT_OFFSET);
  }

  /** Writes {@code sadb_comb_encrypt}. */
  public SadbCombFlyweight encrypt(int value) {
    putU8(offset + ENCRYPT_OFFSET, value);
    return this;
  }

  /** Reads {@code sadb_comb_flags}. */
  public int flags() {
    return getU16(offset + FLAGS_OFFSET, order);
  }

  /** Writes {@code sadb_comb_flags}. */
  public SadbCombFlyweight flags(int value) {
    putU16(offset + FLAGS_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_comb_auth_minbits}. */
  public int authMinbits() {
    return getU16(offset + AUTH_MINBITS_OFFSET, order);
  }

  /** Writes {@code sadb_comb_auth_minbits}. */
  public SadbCombFlyweight authMinbits(int value) {
    putU16(offset + AUTH_MINBITS_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_comb_auth_maxbits}. */
  public int authMaxbits() {
    return getU16(offset + AUTH_MAXBITS_OFFSET, order);
  }

  /** Writes {@code sadb_comb_auth_maxbits}. */
  public SadbCombFlyweight authMaxbits(int value) {
    putU16(offset + AUTH_MAXBITS_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_comb_encrypt_minbits}. */
  public int encryptMinbits() {
    return getU16(offset + ENCRYPT_MINBITS_OFFSET, order);
  }

  /** Writes {@code sadb_comb_encrypt_minbits}. */
  public SadbCombFlyweight encryptMinbits(int value) {
    putU16(offset + ENCRYPT_MINBITS_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_comb_encrypt_maxbits}. */
  public int encryptMaxbits() {
    return getU16(offset + ENCRYPT_MAXBITS_OFFSET, order);
  }

  /** Writes {@code sadb_comb_encrypt_maxbits}. */
  public SadbCombFlyweight encryptMaxbits(int value) {
    putU16(offset + ENCRYPT_MAXBITS_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_comb_reserved}. */
  public long reserved() {
    return getU32(offset + RESERVED_OFFSET, order);
  }

  /** Writes {@code sadb_comb_reserved}. */
  public SadbCombFlyweight reserved(long value) {
    putU32(offset + RESERVED_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_comb_soft_allocations}. */
  public long softAllocations() {
    return getU32(offset + SOFT_ALLOCATIONS_OFFSET, order);
  }

  /** Writes {@code sadb_comb_soft_allocations}. */
  public SadbCombFlyweight softAllocations(long value) {
    putU32(offset + SOFT_ALLOCATIONS_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_comb_hard_allocations}. */
  public long hardAllocations() {
    return getU32(offset + HARD_ALLOCATIONS_OFFSET, order);
  }

  /** Writes {@code sadb_comb_hard_allocations}. */
  public SadbCombFlyweight hardAllocations(long value) {
    putU32(offset + HARD_ALLOCATIONS_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_comb_soft_bytes}. */
  public long softBytes() {
    return getU64(offset + SOFT_BYTES_OFFSET, order);
  }

  /** Writes {@code sadb_comb_soft_bytes}. */
  public SadbCombFlyweight softBytes(long value) {
    putU64(offset + SOFT_BYTES_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_comb_hard_bytes}. */
  public long hardBytes() {
    return getU64(offset + HARD_BYTES_OFFSET, order);
  }

  /** Writes {@code sadb_comb_hard_bytes}. */
  public SadbCombFlyweight hardBytes(long value) {
    putU64(offset + HARD_BYTES_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_comb_soft_addtime}. */
  public long softAddtime() {
    return getU64(offset + SOFT_ADDTIME_OFFSET, order);
  }

  /** Writes {@code sadb_comb_soft_addtime}. */
  public SadbCombFlyweight softAddtime(long value) {
    putU64(offset + SOFT_ADDTIME_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_comb_hard_addtime}. */
  public long hardAddtime() {
    return getU64(offset + HARD_ADDTIME_OFFSET, order);
  }

  /** Writes {@code sadb_comb_hard_addtime}. */
  public SadbCombFlyweight hardAddtime(long value) {
    putU64(offset + HARD_ADDTIME_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_comb_soft_usetime}. */
  public long softUsetime() {
    return getU64(offset + SOFT_USETIME_OFFSET, order);
  }

  /** Writes {@code sadb_comb_soft_usetime}. */
  public SadbCombFlyweight softUsetime(long value) {
    putU64(offset + SOFT_USETIME_OFFSET, value, order);
    return this;
  }

  /** Reads {@code sadb_comb_hard_usetime}. */
  public long hardUsetime() {
    return getU64(offset + HARD_USETIME_OFFSET, order);
  }

  /** Writes {@code sadb_comb_hard_usetime}. */
  public SadbCombFlyweight hardUsetime(long value) {
    putU64(offset + HARD_USETIME_OFFSET, value, order);
    return this;
  }
}
