/**
 * The algorithm table: which IPsec algorithms the emulator supports ({@link
 * org.ipsecemu.sadb.alg.Algorithm}), their PF_KEY numbers and names in {@code setkey}, {@code ip
 * xfrm} and Wireshark, their key, IV, block, ICV and salt sizes, the {@code sadb_alg} entries of a
 * REGISTER reply ({@link org.ipsecemu.sadb.alg.SadbAlg}), and the static key sanity checks of the
 * Key Engine ({@link org.ipsecemu.sadb.alg.KeyChecks}).
 *
 * <p>Pure data and pure functions, free of any crypto library: the Key Engine depends on this
 * package only, and the datapath's {@code org.ipsecemu.datapath.crypto} builds transforms from it.
 *
 * <p>Choices where real stacks differ (each written on its constant too):
 *
 * <ul>
 *   <li>HMAC-SHA-256 uses the 128-bit ICV of RFC 4868; Linux PF_KEY gives 96 bits for the same id.
 *   <li>AES-GCM key lengths include the 4-byte salt (160/224/288), in the key check and in {@code
 *       sadb_alg}, as {@code sadb_key_bits} carries it; Linux reports 128..256 in {@code sadb_alg}.
 *   <li>{@code sadb_alg_ivlen} is the real IV size in bytes (16 for AES-CBC; Linux says 8).
 *   <li>DES parity is not checked unless the engine asks ({@link
 *       org.ipsecemu.sadb.alg.KeyChecks#checkParity}), because Linux ignores it.
 * </ul>
 */
package org.ipsecemu.sadb.alg;
