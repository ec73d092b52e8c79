package org.ipsecemu.sadb.alg;

import java.util.Optional;

/**
 * The sanity checks a Key Engine runs on a key before it accepts an SA (RFC 2367 §2.3.4 leaves them
 * to the kernel): key length, DES weak and semi-weak keys (FIPS 74; RFC 2405 points to them), 3DES
 * with two equal subkeys (RFC 2451 §2.3), and, separately, DES parity. Static and pure.
 *
 * <p><b>Parity is a separate call on purpose.</b> DES uses the low bit of each key byte as an odd
 * parity bit (FIPS 46-3) and ignores it when it runs. Linux never checks it, and real key files
 * (the {@code setkey -D} dumps of racoon on Linux in {@code /work/shared/captures/ipdecap}) hold
 * DES and 3DES keys with wrong parity that work. {@link #check(Algorithm, byte[])} therefore does
 * <em>not</em> check parity; an engine that wants the strict FIPS behaviour calls {@link
 * #checkParity(Algorithm, byte[])} as well, behind a switch that is off by default.
 *
 * <p>Weak-key and equal-subkey comparisons ignore the parity bits too, because two keys that differ
 * only there give the same key schedule.
 */
public final class KeyChecks {

  private static final int DES_KEY_BYTES = 8;

  /** The 4 weak DES keys of FIPS 74 (odd parity shown; SP 800-67 Rev. 2 §3.3.2 lists them too). */
  private static final long[] WEAK = {
    0x0101010101010101L, 0xFEFEFEFEFEFEFEFEL, 0xE0E0E0E0F1F1F1F1L, 0x1F1F1F1F0E0E0E0EL,
  };

  /** The 12 semi-weak DES keys of FIPS 74, in their 6 pairs (each undoes the other). */
  private static final long[] SEMI_WEAK = {
    0x01FE01FE01FE01FEL, 0xFE01FE01FE01FE01L,
    0x1FE01FE00EF10EF1L, 0xE01FE01FF10EF10EL,
    0x01E001E001F101F1L, 0xE001E001F101F101L,
    0x1FFE1FFE0EFE0EFEL, 0xFE1FFE1FFE0EFE0EL,
    0x011F011F010E010EL, 0x1F011F010E010E01L,
    0xE0FEE0FEF1FEF1FEL, 0xFEE0FEE0FEF1FEF1L,
  };

  /** Clears the parity bit (the low bit) of every byte. */
  private static final long PARITY_MASK = 0xFEFEFEFEFEFEFEFEL;

  private KeyChecks() {}

  /**
   * All checks except parity: length (from {@code key.length}), then weak, semi-weak and
   * equal-subkey keys for DES and 3DES. Empty when the key is acceptable.
   */
  public static Optional<KeyProblem> check(Algorithm alg, byte[] key) {
    Optional<KeyProblem> length = checkLength(alg, key.length * 8);
    return length.isPresent() ? length : checkWeak(alg, key);
  }

  /**
   * Checks {@code sadb_key_bits} against the algorithm's allowed key lengths (0 stands for "no key
   * extension", allowed only for NULL encryption).
   */
  public static Optional<KeyProblem> checkLength(Algorithm alg, int keyBits) {
    if (alg.allowsKeyBits(keyBits)) {
      return Optional.empty();
    }
    StringBuilder allowed = new StringBuilder();
    for (int b : alg.keyBits()) {
      allowed.append(allowed.length() == 0 ? "" : ",").append(b);
    }
    return problem(
        KeyProblem.Type.LENGTH,
        "bad key length alg=" + alg.setkeyName() + " bits=" + keyBits + " allowed=" + allowed);
  }

  /**
   * The weak-key checks: for DES the 4 weak and 12 semi-weak keys of FIPS 74; for 3DES K1 == K2 or
   * K2 == K3 (RFC 2451 §2.3: "Implementers MUST reject keys that exhibit this property"; K1 == K3,
   * two-key 3DES, is allowed). Other algorithms have no weak keys. The key must already have the
   * right length.
   */
  public static Optional<KeyProblem> checkWeak(Algorithm alg, byte[] key) {
    if (alg == Algorithm.DES_CBC) {
      if (isWeakDesKey(key, 0)) {
        return problem(KeyProblem.Type.WEAK, "weak DES key (FIPS 74) alg=" + alg.setkeyName());
      }
      if (isSemiWeakDesKey(key, 0)) {
        return problem(
            KeyProblem.Type.SEMI_WEAK, "semi-weak DES key (FIPS 74) alg=" + alg.setkeyName());
      }
    } else if (alg == Algorithm.TRIPLE_DES_CBC) {
      long k1 = desKey(key, 0) & PARITY_MASK;
      long k2 = desKey(key, 8) & PARITY_MASK;
      long k3 = desKey(key, 16) & PARITY_MASK;
      if (k1 == k2 || k2 == k3) {
        return problem(
            KeyProblem.Type.EQUAL_SUBKEYS,
            "3DES key degenerates to single DES (RFC 2451 §2.3) alg="
                + alg.setkeyName()
                + (k1 == k2 ? " K1==K2" : " K2==K3"));
      }
    }
    return Optional.empty();
  }

  /**
   * The optional FIPS 46-3 parity check for DES and 3DES: every key byte must have an odd number of
   * one bits. Empty for other algorithms. Linux does not check this (see the class comment).
   */
  public static Optional<KeyProblem> checkParity(Algorithm alg, byte[] key) {
    if (alg != Algorithm.DES_CBC && alg != Algorithm.TRIPLE_DES_CBC) {
      return Optional.empty();
    }
    int bad = 0;
    for (byte b : key) {
      if (Integer.bitCount(b & 0xff) % 2 == 0) {
        bad++;
      }
    }
    return bad == 0
        ? Optional.empty()
        : problem(
            KeyProblem.Type.PARITY,
            "DES key parity is not odd (FIPS 46-3) alg=" + alg.setkeyName() + " bad_bytes=" + bad);
  }

  /** True when each of {@code length} bytes at {@code offset} has odd parity. */
  public static boolean hasOddParity(byte[] key, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (Integer.bitCount(key[i] & 0xff) % 2 == 0) {
        return false;
      }
    }
    return true;
  }

  /** True when the 8 bytes at {@code offset} are one of the 4 weak DES keys, parity ignored. */
  public static boolean isWeakDesKey(byte[] key, int offset) {
    return matches(WEAK, desKey(key, offset));
  }

  /**
   * True when the 8 bytes at {@code offset} are one of the 12 semi-weak DES keys, parity ignored.
   */
  public static boolean isSemiWeakDesKey(byte[] key, int offset) {
    return matches(SEMI_WEAK, desKey(key, offset));
  }

  private static boolean matches(long[] table, long key) {
    long k = key & PARITY_MASK;
    for (long t : table) {
      if ((t & PARITY_MASK) == k) {
        return true;
      }
    }
    return false;
  }

  private static long desKey(byte[] key, int offset) {
    if (offset < 0 || key.length - offset < DES_KEY_BYTES) {
      throw new IllegalArgumentException(
          "DES key needs 8 bytes: length=" + key.length + " offset=" + offset);
    }
    long v = 0;
    for (int i = 0; i < DES_KEY_BYTES; i++) {
      v = (v << 8) | (key[offset + i] & 0xff);
    }
    return v;
  }

  private static Optional<KeyProblem> problem(KeyProblem.Type type, String message) {
    return Optional.of(new KeyProblem(type, message));
  }
}
