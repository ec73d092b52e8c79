package org.ipsecemu.sadb.alg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlgorithmTest {

  // Numbers and symbols from RFC 2367 §3.5 and Linux include/uapi/linux/pfkeyv2.h
  // (SADB_X_AALG_SHA2_256HMAC 5, SADB_X_EALG_AESCBC 12, SADB_X_EALG_AES_GCM_ICV16 20).
  @ParameterizedTest
  @CsvSource({
    "HMAC_MD5_96,       INTEGRITY,  2,  SADB_AALG_MD5HMAC",
    "HMAC_SHA1_96,      INTEGRITY,  3,  SADB_AALG_SHA1HMAC",
    "HMAC_SHA2_256_128, INTEGRITY,  5,  SADB_X_AALG_SHA2_256HMAC",
    "DES_CBC,           ENCRYPTION, 2,  SADB_EALG_DESCBC",
    "TRIPLE_DES_CBC,    ENCRYPTION, 3,  SADB_EALG_3DESCBC",
    "NULL,              ENCRYPTION, 11, SADB_EALG_NULL",
    "AES_CBC,           ENCRYPTION, 12, SADB_X_EALG_AESCBC",
    "AES_GCM_16,        COMBINED,   20, SADB_X_EALG_AES_GCM_ICV16",
  })
  void carriesPfKeyNumberAndSymbol(Algorithm alg, AlgorithmKind kind, int id, String symbol) {
    assertThat(alg.kind()).isEqualTo(kind);
    assertThat(alg.id()).isEqualTo(id);
    assertThat(alg.symbol()).isEqualTo(symbol);
    assertThat(alg).hasToString(symbol);
    assertThat(Algorithm.of(kind, id)).contains(alg);
  }

  // Sizes from the defining RFCs: 2403, 2404, 4868 §2.1/§2.6 (ICV truncation), 2405 and 2451
  // (8-byte block and IV), 2410 (NULL), 3602 §2.4/§3 (AES-CBC), 4106 §3.1/§8.1 (GCM: 8-byte IV,
  // 4-byte salt at the end of the key material, ICV 16 for AES-GCM-16).
  @ParameterizedTest
  @CsvSource({
    "HMAC_MD5_96,       128,         0,  1,  12, 16, 0, 2403",
    "HMAC_SHA1_96,      160,         0,  1,  12, 20, 0, 2404",
    "HMAC_SHA2_256_128, 256,         0,  1,  16, 32, 0, 4868",
    "DES_CBC,           64,          8,  8,  0,  0,  0, 2405",
    "TRIPLE_DES_CBC,    192,         8,  8,  0,  0,  0, 2451",
    "NULL,              0,           0,  1,  0,  0,  0, 2410",
    "AES_CBC,           128/192/256, 16, 16, 0,  0,  0, 3602",
    "AES_GCM_16,        160/224/288, 8,  1,  16, 0,  4, 4106",
  })
  void carriesSizesOfItsRfc(
      Algorithm alg, String keyBits, int iv, int block, int icv, int digest, int salt, int rfc) {
    int[] expected =
        java.util.Arrays.stream(keyBits.split("/")).mapToInt(Integer::parseInt).toArray();
    assertThat(alg.keyBits()).containsExactly(expected);
    assertThat(alg.minKeyBits()).isEqualTo(expected[0]);
    assertThat(alg.maxKeyBits()).isEqualTo(expected[expected.length - 1]);
    assertThat(alg.ivLength()).isEqualTo(iv);
    assertThat(alg.blockSize()).isEqualTo(block);
    assertThat(alg.icvLength()).isEqualTo(icv);
    assertThat(alg.digestLength()).isEqualTo(digest);
    assertThat(alg.saltLength()).isEqualTo(salt);
    assertThat(alg.rfc()).isEqualTo(rfc);
  }

  @Test
  void keyBitsIsADefensiveCopy() {
    Algorithm.AES_CBC.keyBits()[0] = 1;
    assertThat(Algorithm.AES_CBC.allowsKeyBits(128)).isTrue();
    assertThat(Algorithm.AES_CBC.allowsKeyBits(1)).isFalse();
  }

  @Test
  void onlyNullEncryptionIsKeyless() {
    assertThat(Algorithm.NULL.isKeyless()).isTrue();
    assertThat(Algorithm.NULL.allowsKeyBits(0)).isTrue();
    assertThat(Algorithm.DES_CBC.isKeyless()).isFalse();
  }

  @Test
  void findsSadbSaEncryptValuesOfBothEncryptionAndCombinedKinds() {
    assertThat(Algorithm.encrypt(12)).contains(Algorithm.AES_CBC);
    assertThat(Algorithm.encrypt(20)).contains(Algorithm.AES_GCM_16);
    assertThat(Algorithm.encrypt(2)).contains(Algorithm.DES_CBC);
    assertThat(Algorithm.auth(2)).contains(Algorithm.HMAC_MD5_96);
    assertThat(Algorithm.of(AlgorithmKind.ENCRYPTION, 20)).isEmpty();
  }

  @Test
  void noneAndUnknownIdsFindNothing() {
    assertThat(Algorithm.auth(Algorithm.NONE)).isEmpty();
    assertThat(Algorithm.encrypt(Algorithm.NONE)).isEmpty();
    assertThat(Algorithm.auth(251)).isEmpty(); // SADB_X_AALG_NULL: not supported
    assertThat(Algorithm.encrypt(13)).isEmpty(); // SADB_X_EALG_AESCTR: not supported
    assertThat(Algorithm.auth(-1)).isEmpty();
  }

  // setkey names from ipsec-tools src/setkey/token.l (aes-cbc and rijndael-cbc both map to
  // SADB_X_EALG_AESCBC; hmac-sha256 and hmac-sha2-256 to SADB_X_AALG_SHA2_256HMAC); ip xfrm names
  // from Linux net/xfrm/xfrm_algo.c (name and compat); Wireshark names from its esp_sa table.
  @ParameterizedTest
  @CsvSource({
    "hmac-md5,          HMAC_MD5_96",
    "hmac-sha1,         HMAC_SHA1_96",
    "hmac-sha256,       HMAC_SHA2_256_128",
    "hmac-sha2-256,     HMAC_SHA2_256_128",
    "des-cbc,           DES_CBC",
    "3des-cbc,          TRIPLE_DES_CBC",
    "null,              NULL",
    "aes-cbc,           AES_CBC",
    "rijndael-cbc,      AES_CBC",
    "aes-gcm-16,        AES_GCM_16",
    "hmac(sha256),      HMAC_SHA2_256_128",
    "cbc(des3_ede),     TRIPLE_DES_CBC",
    "des3_ede,          TRIPLE_DES_CBC",
    "ecb(cipher_null),  NULL",
    "cbc(aes),          AES_CBC",
    "rfc4106(gcm(aes)), AES_GCM_16",
    "'TripleDES-CBC [RFC2451]', TRIPLE_DES_CBC",
    "'HMAC-SHA-1-96 [RFC2404]', HMAC_SHA1_96",
    "'AES-GCM with 16 octet ICV [RFC4106]', AES_GCM_16",
    "SADB_X_EALG_AESCBC, AES_CBC",
    "AES-CBC,           AES_CBC",
    "Rijndael-CBC,      AES_CBC",
  })
  void findsEveryNameCaseInsensitively(String name, Algorithm alg) {
    assertThat(Algorithm.byName(name)).contains(alg);
  }

  @Test
  void canonicalNamesAreTheSetkeyAndXfrmSpellings() {
    assertThat(Algorithm.AES_CBC.setkeyName()).isEqualTo("aes-cbc");
    assertThat(Algorithm.AES_CBC.setkeyNames()).containsExactly("aes-cbc", "rijndael-cbc");
    assertThat(Algorithm.AES_CBC.xfrmName()).isEqualTo("cbc(aes)");
    assertThat(Algorithm.HMAC_SHA2_256_128.wiresharkName()).isEqualTo("HMAC-SHA-256-128 [RFC4868]");
  }

  @Test
  void setkeyNullMeansEncryptionOnlyWithDashE() {
    // setkey "-A null" is SADB_X_AALG_NULL, which the emulator does not support.
    assertThat(Algorithm.authByName("null")).isEmpty();
    assertThat(Algorithm.encryptByName("null")).contains(Algorithm.NULL);
    assertThat(Algorithm.encryptByName("hmac-sha1")).isEmpty();
    assertThat(Algorithm.authByName("hmac-sha1")).contains(Algorithm.HMAC_SHA1_96);
    assertThat(Algorithm.encryptByName("aes-gcm-16")).contains(Algorithm.AES_GCM_16);
    assertThat(Algorithm.byName("aes-ctr")).isEmpty();
  }

  @Test
  void registerReplyListsAuthAlgorithmsAscending() {
    // RFC 2367 §2.3.7 sadb_alg; minbits/maxbits as Linux net/xfrm/xfrm_algo.c reports them.
    assertThat(Algorithm.supported(false))
        .containsExactly(
            new SadbAlg(2, 0, 128, 128), new SadbAlg(3, 0, 160, 160), new SadbAlg(5, 0, 256, 256));
  }

  @Test
  void registerReplyListsEncryptAndCombinedAlgorithmsAscending() {
    List<SadbAlg> encrypt = Algorithm.supported(true);
    assertThat(encrypt)
        .containsExactly(
            new SadbAlg(2, 8, 64, 64),
            new SadbAlg(3, 8, 192, 192),
            new SadbAlg(11, 0, 0, 0),
            new SadbAlg(12, 16, 128, 256),
            new SadbAlg(20, 8, 160, 288));
  }

  @Test
  void kindsNameTheirRegisterExtension() {
    // RFC 2367 §2.3.7: SADB_EXT_SUPPORTED_AUTH 14, SADB_EXT_SUPPORTED_ENCRYPT 15.
    assertThat(AlgorithmKind.INTEGRITY.supportedExtensionType()).isEqualTo(14);
    assertThat(AlgorithmKind.ENCRYPTION.supportedExtensionType()).isEqualTo(15);
    assertThat(AlgorithmKind.COMBINED.supportedExtensionType()).isEqualTo(15);
    assertThat(AlgorithmKind.INTEGRITY.usesEncryptField()).isFalse();
    assertThat(AlgorithmKind.COMBINED.usesEncryptField()).isTrue();
  }

  @Test
  void sadbAlgRejectsValuesThatDoNotFitTheStruct() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SadbAlg(256, 0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SadbAlg(1, 0, 9, 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minbits=9");
  }
}
