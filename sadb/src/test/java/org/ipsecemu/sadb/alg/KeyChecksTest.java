package org.ipsecemu.sadb.alg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.spec.DESKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyChecksTest {

  private static final HexFormat HEX = HexFormat.of();

  private static byte[] hex(String s) {
    return HEX.parseHex(s);
  }

  // The 4 weak DES keys of FIPS 74 (Guidelines for Implementing and Using the NBS Data Encryption
  // Standard, 1981), as also listed in NIST SP 800-67 Rev. 2 §3.3.2.
  @ParameterizedTest
  @ValueSource(
      strings = {"0101010101010101", "FEFEFEFEFEFEFEFE", "E0E0E0E0F1F1F1F1", "1F1F1F1F0E0E0E0E"})
  void rejectsTheFourWeakDesKeys(String key) throws Exception {
    byte[] k = hex(key);
    assertThat(KeyChecks.isWeakDesKey(k, 0)).isTrue();
    assertThat(KeyChecks.isSemiWeakDesKey(k, 0)).isFalse();
    assertThat(KeyChecks.check(Algorithm.DES_CBC, k))
        .get()
        .extracting(KeyProblem::type)
        .isEqualTo(KeyProblem.Type.WEAK);
    // Independent oracle: the JDK's own FIPS 74 list.
    assertThat(DESKeySpec.isWeak(k, 0)).isTrue();
  }

  // The 12 semi-weak DES keys of FIPS 74 (six pairs), also in NIST SP 800-67 Rev. 2 §3.3.2.
  @ParameterizedTest
  @ValueSource(
      strings = {
        "01FE01FE01FE01FE", "FE01FE01FE01FE01",
        "1FE01FE00EF10EF1", "E01FE01FF10EF10E",
        "01E001E001F101F1", "E001E001F101F101",
        "1FFE1FFE0EFE0EFE", "FE1FFE1FFE0EFE0E",
        "011F011F010E010E", "1F011F010E010E01",
        "E0FEE0FEF1FEF1FE", "FEE0FEE0FEF1FEF1",
      })
  void rejectsTheTwelveSemiWeakDesKeys(String key) throws Exception {
    byte[] k = hex(key);
    assertThat(KeyChecks.isSemiWeakDesKey(k, 0)).isTrue();
    assertThat(KeyChecks.isWeakDesKey(k, 0)).isFalse();
    assertThat(KeyChecks.check(Algorithm.DES_CBC, k))
        .get()
        .extracting(KeyProblem::type)
        .isEqualTo(KeyProblem.Type.SEMI_WEAK);
    assertThat(DESKeySpec.isWeak(k, 0)).isTrue();
  }

  @Property
  void agreesWithTheJdkWeakKeyListOnAnyParityAdjustedKey(@ForAll @Size(8) byte[] key)
      throws Exception {
    byte[] odd = key.clone();
    for (int i = 0; i < odd.length; i++) {
      int b = odd[i] & 0xfe;
      odd[i] = (byte) (Integer.bitCount(b) % 2 == 0 ? b | 1 : b);
    }
    boolean ours = KeyChecks.isWeakDesKey(odd, 0) || KeyChecks.isSemiWeakDesKey(odd, 0);
    assertThat(ours).isEqualTo(DESKeySpec.isWeak(odd, 0));
    // Parity bits never change the answer.
    assertThat(KeyChecks.isWeakDesKey(key, 0)).isEqualTo(KeyChecks.isWeakDesKey(odd, 0));
  }

  @Test
  void weakKeyWithWrongParityIsStillWeak() {
    // 00..00 gives the same key schedule as 01..01: DES ignores the parity bits.
    assertThat(KeyChecks.check(Algorithm.DES_CBC, new byte[8]))
        .get()
        .extracting(KeyProblem::type)
        .isEqualTo(KeyProblem.Type.WEAK);
  }

  @Test
  void acceptsAnOrdinaryDesKey() {
    // The classic DES example key 0123456789ABCDEF (odd parity in every byte).
    byte[] k = hex("0123456789ABCDEF");
    assertThat(KeyChecks.check(Algorithm.DES_CBC, k)).isEmpty();
    assertThat(KeyChecks.checkParity(Algorithm.DES_CBC, k)).isEmpty();
    assertThat(KeyChecks.hasOddParity(k, 0, 8)).isTrue();
  }

  @Test
  void parityIsNotPartOfTheDefaultCheck() {
    // Like the racoon-made DES keys of real Linux key files: wrong parity, works on Linux.
    byte[] k = hex("0123456789ABCDEE");
    assertThat(KeyChecks.check(Algorithm.DES_CBC, k)).isEmpty();
    Optional<KeyProblem> parity = KeyChecks.checkParity(Algorithm.DES_CBC, k);
    assertThat(parity).get().extracting(KeyProblem::type).isEqualTo(KeyProblem.Type.PARITY);
    assertThat(parity.get().message()).contains("alg=des-cbc").contains("bad_bytes=1");
    assertThat(KeyChecks.hasOddParity(k, 0, 8)).isFalse();
    assertThat(KeyChecks.hasOddParity(k, 0, 7)).isTrue();
  }

  @Test
  void parityCheckCoversAllThreeDesSubkeysAndIgnoresOtherAlgorithms() {
    byte[] good = hex("0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123");
    assertThat(KeyChecks.checkParity(Algorithm.TRIPLE_DES_CBC, good)).isEmpty();
    byte[] bad = good.clone();
    bad[23] ^= 1;
    assertThat(KeyChecks.checkParity(Algorithm.TRIPLE_DES_CBC, bad)).isPresent();
    assertThat(KeyChecks.checkParity(Algorithm.AES_CBC, new byte[16])).isEmpty();
  }

  // RFC 2451 §2.3: "if the first two or last two independent 64-bit keys are equal (k1 == k2 or
  // k2 == k3), then the 3DES operation is simply the same as DES. Implementers MUST reject keys
  // that exhibit this property."
  @ParameterizedTest
  @CsvSource({
    "0123456789ABCDEF0123456789ABCDEF456789ABCDEF0123, K1==K2",
    "0123456789ABCDEF23456789ABCDEF0123456789ABCDEF01, K2==K3",
    "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF, K1==K2",
    // Equal but for the parity bits: the same key schedule, so just as degenerate.
    "0123456789ABCDEF0022446688AACCEE456789ABCDEF0123, K1==K2",
  })
  void rejectsThreeDesKeysThatDegenerateToSingleDes(String key, String which) {
    Optional<KeyProblem> p = KeyChecks.check(Algorithm.TRIPLE_DES_CBC, hex(key));
    assertThat(p).get().extracting(KeyProblem::type).isEqualTo(KeyProblem.Type.EQUAL_SUBKEYS);
    assertThat(p.get().message()).contains(which).contains("alg=3des-cbc");
  }

  @Test
  void acceptsTwoKeyThreeDesWithK1EqualToK3() {
    byte[] k = hex("0123456789ABCDEF23456789ABCDEF010123456789ABCDEF");
    assertThat(KeyChecks.check(Algorithm.TRIPLE_DES_CBC, k)).isEmpty();
  }

  @Test
  void acceptsThreeDesKeyWithWeakSubkey() {
    // RFC 2451 §2.3: "For DES-EDE3, there is no known need to reject weak or complementation keys."
    byte[] k = hex("0101010101010101" + "23456789ABCDEF01" + "456789ABCDEF0123");
    assertThat(KeyChecks.check(Algorithm.TRIPLE_DES_CBC, k)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "AES_CBC, 16, true",
    "AES_CBC, 24, true",
    "AES_CBC, 32, true",
    "AES_CBC, 8, false",
    "AES_CBC, 20, false",
    "AES_GCM_16, 20, true",
    "AES_GCM_16, 28, true",
    "AES_GCM_16, 36, true",
    "AES_GCM_16, 16, false",
    "AES_GCM_16, 32, false",
    "HMAC_MD5_96, 16, true",
    "HMAC_MD5_96, 20, false",
    "HMAC_SHA1_96, 20, true",
    "HMAC_SHA2_256_128, 32, true",
    "HMAC_SHA2_256_128, 16, false",
    "DES_CBC, 24, false",
    "TRIPLE_DES_CBC, 8, false",
    "NULL, 0, true",
    "NULL, 8, false",
  })
  void checksKeyLength(Algorithm alg, int bytes, boolean ok) {
    byte[] key = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      key[i] = (byte) (0x10 + 7 * i); // no equal DES subkeys, not a weak key
    }
    Optional<KeyProblem> p = KeyChecks.check(alg, key);
    if (ok) {
      assertThat(p).isEmpty();
    } else {
      assertThat(p).get().extracting(KeyProblem::type).isEqualTo(KeyProblem.Type.LENGTH);
      assertThat(p.get().message())
          .contains("alg=" + alg.setkeyName())
          .contains("bits=" + bytes * 8)
          .contains("allowed=");
    }
  }

  @Test
  void lengthMessageListsAllowedLengths() {
    assertThat(KeyChecks.checkLength(Algorithm.AES_CBC, 130))
        .get()
        .extracting(KeyProblem::message)
        .isEqualTo("bad key length alg=aes-cbc bits=130 allowed=128,192,256");
  }

  @Test
  void messagesNeverShowKeyBytes() {
    byte[] k = hex("0123456789ABCDEF0123456789ABCDEF456789ABCDEF0123");
    String all =
        KeyChecks.check(Algorithm.TRIPLE_DES_CBC, k).orElseThrow()
            + " "
            + KeyChecks.checkParity(Algorithm.DES_CBC, hex("0123456789ABCDEE")).orElseThrow();
    assertThat(all.toLowerCase())
        .doesNotContain("0123")
        .doesNotContain("89ab")
        .doesNotContain("cdee");
  }
}
