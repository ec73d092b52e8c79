package org.ipsecemu.sadb.alg;

/**
 * One {@code struct sadb_alg} of a REGISTER reply's supported-algorithms extension (RFC 2367
 * §2.3.7), as values: the encoder in the wire package writes it, 8 bytes, host byte order.
 *
 * <pre>
 * struct sadb_alg {
 *     uint8_t  sadb_alg_id;
 *     uint8_t  sadb_alg_ivlen;
 *     uint16_t sadb_alg_minbits;
 *     uint16_t sadb_alg_maxbits;
 *     uint16_t sadb_alg_reserved;
 * };
 * </pre>
 *
 * @param id {@code sadb_alg_id}: the value stored in {@code sadb_sa_auth} or {@code
 *     sadb_sa_encrypt}
 * @param ivLength {@code sadb_alg_ivlen}: IV length in bytes, 0 when the algorithm takes none
 * @param minBits {@code sadb_alg_minbits}: smallest acceptable key, in bits
 * @param maxBits {@code sadb_alg_maxbits}: largest acceptable key, in bits
 */
public record SadbAlg(int id, int ivLength, int minBits, int maxBits) {

  /** Size of {@code struct sadb_alg} on the wire. */
  public static final int ENCODED_LENGTH = 8;

  public SadbAlg {
    if (id < 0 || id > 0xff || ivLength < 0 || ivLength > 0xff) {
      throw new IllegalArgumentException("sadb_alg id=" + id + " ivlen=" + ivLength);
    }
    if (minBits < 0 || maxBits > 0xffff || minBits > maxBits) {
      throw new IllegalArgumentException("sadb_alg minbits=" + minBits + " maxbits=" + maxBits);
    }
  }
}
