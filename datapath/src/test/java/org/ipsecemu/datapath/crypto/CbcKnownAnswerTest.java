package org.ipsecemu.datapath.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.ipsecemu.sadb.alg.Algorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * CBC known answers for both providers, in place, through the ESP-shaped API. Sources: RFC 3602 §4
 * (AES-CBC cases 1–4 raw, cases 5–8 complete ESP packets), FIPS 81 Appendix C (DES-CBC), NIST SP
 * 800-67 Rev. 1 Appendix B (3DES), NIST SP 800-20 Tables A.1 and A.2 (DES). Each vector was
 * cross-checked with pyca/cryptography.
 */
class CbcKnownAnswerTest {

  private static final HexFormat HEX = HexFormat.of();

  private static byte[] h(String hex) {
    return HEX.parseHex(hex);
  }

  private static TransformFactory factory(Algorithm alg, CryptoProvider p) {
    return TransformFactory.standard().withProvider(alg, p);
  }

  /** Encrypts then decrypts in place, checking both directions against the vector. */
  private static void checkBothWays(
      Algorithm alg, CryptoProvider p, byte[] key, byte[] iv, byte[] plain, byte[] cipher) {
    TransformFactory f = factory(alg, p);
    byte[] buf = plain.clone();
    try (EncryptionTransform out = f.encryption(alg, key, Direction.OUTBOUND)) {
      out.encrypt(iv, 0, buf, 0, buf.length);
    }
    assertThat(HEX.formatHex(buf)).isEqualTo(HEX.formatHex(cipher));
    try (EncryptionTransform in = f.encryption(alg, key, Direction.INBOUND)) {
      assertThat(in.decrypt(iv, 0, buf, 0, buf.length)).isTrue();
    }
    assertThat(buf).isEqualTo(plain);
  }

  // RFC 3602 §4, cases 1-4: AES-128-CBC, 1 to 4 blocks.
  @ParameterizedTest(name = "RFC 3602 case {0} {5}")
  @CsvSource({
    "1, 06a9214036b8a15b512e03d534120006, 3dafba429d9eb430b422da802c9fac41,"
        + " 53696e676c6520626c6f636b206d7367,"
        + " e353779c1079aeb82708942dbe77181a, JCE",
    "2, c286696d887c9aa0611bbb3e2025a45a, 562e17996d093d28ddb3ba695a2e6f58,"
        + " 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f,"
        + " d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1, JCE",
    "3, 6c3ea0477630ce21a2ce334aa746c2cd, c782dc4c098c66cbd9cd27d825682c81,"
        + " 5468697320697320612034382d62797465206d657373616765202865786163746c7920332041455320626c6f636b7329,"
        + " d0a02b3836451753d493665d33f0e8862dea54cdb293abc7506939276772f8d5021c19216bad525c8579695d83ba2684,"
        + " JCE",
    "4, 56e47a38c5598974bc46903dba290349, 8ce82eefbea0da3c44699ed7db51b7d9,"
        + " a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf,"
        + " c30e32ffedc0774e6aff6af0869f71aa0f3af07a9a31a9c684db207eb0ef8e4e35907aa632c3ffdf868bb7b29d3d46ad83ce9f9a102ee99d49a53e87f4c3da55,"
        + " JCE",
    "1, 06a9214036b8a15b512e03d534120006, 3dafba429d9eb430b422da802c9fac41,"
        + " 53696e676c6520626c6f636b206d7367,"
        + " e353779c1079aeb82708942dbe77181a, BOUNCY_CASTLE",
    "2, c286696d887c9aa0611bbb3e2025a45a, 562e17996d093d28ddb3ba695a2e6f58,"
        + " 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f,"
        + " d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1, BOUNCY_CASTLE",
    "3, 6c3ea0477630ce21a2ce334aa746c2cd, c782dc4c098c66cbd9cd27d825682c81,"
        + " 5468697320697320612034382d62797465206d657373616765202865786163746c7920332041455320626c6f636b7329,"
        + " d0a02b3836451753d493665d33f0e8862dea54cdb293abc7506939276772f8d5021c19216bad525c8579695d83ba2684,"
        + " BOUNCY_CASTLE",
    "4, 56e47a38c5598974bc46903dba290349, 8ce82eefbea0da3c44699ed7db51b7d9,"
        + " a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf,"
        + " c30e32ffedc0774e6aff6af0869f71aa0f3af07a9a31a9c684db207eb0ef8e4e35907aa632c3ffdf868bb7b29d3d46ad83ce9f9a102ee99d49a53e87f4c3da55,"
        + " BOUNCY_CASTLE",
  })
  void aesCbcMatchesRfc3602RawCases(
      int rfcCase, String key, String iv, String plain, String cipher, CryptoProvider p) {
    checkBothWays(Algorithm.AES_CBC, p, h(key), h(iv), h(plain), h(cipher));
  }

  /**
   * RFC 3602 §4 cases 5–8: ESP packets (from the SPI on) and the ESP payload before encryption. The
   * decrypted payload must be that payload plus the RFC 4303 trailer: padding 1, 2, 3, ..., the pad
   * length and the next header (1 ICMP in cases 5-6, 4 IP-in-IP in cases 7-8).
   */
  private static final String[][] ESP_CASES = {
    {
      "5",
      "90d382b410eeba7ad938c46cec1a82bf",
      "0000432100000001e96e8c08ab465763fd098d45dd3ff893f663c25d325c18c6a9453e194e120849a4870b66cc6b9965330013b4898dc856a4699e523a55db080b59ec3a8e4b7e52775b07d1db34ed9c538ab50c551b874aa269add047ad2d5913ac19b7cfbad4a6",
      "08000ebda70a00008e9c083db95b070008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
      "1"
    },
    {
      "6",
      "90d382b410eeba7ad938c46cec1a82bf",
      "000043210000000869d08df7d203329db093fc4924e5bd80f51995881ec4e0c4488987ce742e8109689bb379d2d750c0d915dca346a89f75",
      "0800b5e8a80a0500a69c083d0b660e00777777777777777777777777",
      "1"
    },
    {
      "7",
      "0123456789abcdef0123456789abcdef",
      "0000876500000002f4e765244f6407adf13dc1380f673f37773b5241a4c449225e4f3ce5ed611b0c237ca96cf74a93013c1b0ea1a0cf70f8e4ecaec78ac53aad7a0f022b859243c647752e94a859352b8a4d4d2decd136e5c177f132ad3fbfb2201ac9904c74ee0a109e0ca1e4dfe9d5a100b842f1c22f0d",
      "45000054090400004001f988c0a87b03c0a87bc808009f76a90a0100b49c083d02a2040008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
      "4"
    },
    {
      "8",
      "0123456789abcdef0123456789abcdef",
      "000087650000000585d47224b5f3dd5d2101d4ea8dffab2215b92683819596a8047232cc00f7048fe45318e11f8a0f62ede3c3fc61203bb50f980a08c9843fd3a1b06d5c07ff9639b7eb7dfb3512e5de435e7207ed971ef3d2726d9b5ef6affc6d17a0decbb13892",
      "45000044090c00004001f990c0a87b03c0a87bc80800d63caa0a0200c69c083da3de0300ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
      "4"
    },
  };

  private static byte[] withTrailer(byte[] payload, int ciphertextLength, int nextHeader) {
    byte[] p = Arrays.copyOf(payload, ciphertextLength);
    int padLength = ciphertextLength - payload.length - 2;
    for (int i = 0; i < padLength; i++) {
      p[payload.length + i] = (byte) (i + 1);
    }
    p[ciphertextLength - 2] = (byte) padLength;
    p[ciphertextLength - 1] = (byte) nextHeader;
    return p;
  }

  @ParameterizedTest
  @EnumSource(
      value = CryptoProvider.class,
      names = {"JCE", "BOUNCY_CASTLE"})
  void decryptsRfc3602EspPacketsInPlaceWithOneTransformPerKey(CryptoProvider p) {
    TransformFactory f = factory(Algorithm.AES_CBC, p);
    // Cases 5 and 6 share a key, as do 7 and 8: the second packet checks transform reuse.
    EncryptionTransform in = null;
    String lastKey = "";
    for (String[] c : ESP_CASES) {
      if (!c[1].equals(lastKey)) {
        in = f.encryption(Algorithm.AES_CBC, h(c[1]), Direction.INBOUND);
        lastKey = c[1];
      }
      byte[] packet = h(c[2]);
      int ivOffset = 8; // SPI (4) and sequence number (4), RFC 4303 §2
      int offset = ivOffset + 16;
      int length = packet.length - offset;
      byte[] ivBefore = Arrays.copyOfRange(packet, ivOffset, offset);
      assertThat(in.decrypt(packet, ivOffset, packet, offset, length)).as("case " + c[0]).isTrue();
      byte[] expected = withTrailer(h(c[3]), length, Integer.parseInt(c[4]));
      assertThat(HEX.formatHex(Arrays.copyOfRange(packet, offset, packet.length)))
          .as("RFC 3602 case " + c[0])
          .isEqualTo(HEX.formatHex(expected));
      assertThat(Arrays.copyOfRange(packet, 0, offset))
          .as("header and IV untouched")
          .isEqualTo(Arrays.copyOfRange(h(c[2]), 0, offset))
          .endsWith(ivBefore);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = CryptoProvider.class,
      names = {"JCE", "BOUNCY_CASTLE"})
  void encryptsRfc3602EspPayloadIntoThePublishedPacket(CryptoProvider p) {
    TransformFactory f = factory(Algorithm.AES_CBC, p);
    for (String[] c : ESP_CASES) {
      byte[] expected = h(c[2]);
      byte[] packet = Arrays.copyOf(expected, expected.length);
      int offset = 24;
      int length = packet.length - offset;
      byte[] trailer = withTrailer(h(c[3]), length, Integer.parseInt(c[4]));
      System.arraycopy(trailer, 0, packet, offset, length);
      try (EncryptionTransform out = f.encryption(Algorithm.AES_CBC, h(c[1]), Direction.OUTBOUND)) {
        out.encrypt(packet, 8, packet, offset, length);
      }
      assertThat(HEX.formatHex(packet)).as("RFC 3602 case " + c[0]).isEqualTo(c[2]);
    }
  }

  // FIPS 81 Appendix C: DES-CBC, key 0123456789abcdef, IV 1234567890abcdef,
  // "Now is the time for all ".
  @ParameterizedTest
  @EnumSource(
      value = CryptoProvider.class,
      names = {"JCE", "BOUNCY_CASTLE"})
  void desCbcMatchesFips81(CryptoProvider p) {
    checkBothWays(
        Algorithm.DES_CBC,
        p,
        h("0123456789abcdef"),
        h("1234567890abcdef"),
        "Now is the time for all ".getBytes(StandardCharsets.US_ASCII),
        h("e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6"));
  }

  /**
   * NIST SP 800-67 Rev. 1 Appendix B: 3DES (TDEA) keys 0123456789ABCDEF, 23456789ABCDEF01,
   * 456789ABCDEF0123, plaintext "The qufck brown fox jump" in ECB mode. CBC with a zero IV over one
   * block is ECB, so each block is checked as its own one-block packet.
   */
  @ParameterizedTest
  @EnumSource(
      value = CryptoProvider.class,
      names = {"JCE", "BOUNCY_CASTLE"})
  void tripleDesMatchesSp80067(CryptoProvider p) {
    byte[] key = h("0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123");
    byte[] plain = h("54686520717566636B2062726F776E20666F78206A756D70");
    byte[] cipher = h("A826FD8CE53B855FCCE21C8112256FE668D5C05DD9B6B900");
    for (int b = 0; b < 24; b += 8) {
      checkBothWays(
          Algorithm.TRIPLE_DES_CBC,
          p,
          key,
          new byte[8],
          Arrays.copyOfRange(plain, b, b + 8),
          Arrays.copyOfRange(cipher, b, b + 8));
    }
  }

  // NIST SP 800-20 Table A.1 (variable plaintext, key 0101010101010101) and Table A.2 (variable
  // key, plaintext 0): single DES, here as one-block CBC with a zero IV, and as 3DES with
  // K1 = K2 = K3 (which SP 800-20 uses to exercise TDEA as DES).
  @ParameterizedTest(name = "SP 800-20 key={0} pt={1} {3}")
  @CsvSource({
    "0101010101010101, 8000000000000000, 95F8A5E5DD31D900, JCE",
    "0101010101010101, 4000000000000000, DD7F121CA5015619, JCE",
    "0101010101010101, 2000000000000000, 2E8653104F3834EA, JCE",
    "0101010101010101, 1000000000000000, 4BD388FF6CD81D4F, JCE",
    "0101010101010101, 0800000000000000, 20B9E767B2FB1456, JCE",
    "0101010101010101, 0400000000000000, 55579380D77138EF, JCE",
    "0101010101010101, 0200000000000000, 6CC5DEFAAF04512F, JCE",
    "8001010101010101, 0000000000000000, 95A8D72813DAA94D, JCE",
    "4001010101010101, 0000000000000000, 0EEC1487DD8C26D5, JCE",
    "0101010101010101, 8000000000000000, 95F8A5E5DD31D900, BOUNCY_CASTLE",
    "0101010101010101, 4000000000000000, DD7F121CA5015619, BOUNCY_CASTLE",
    "0101010101010101, 2000000000000000, 2E8653104F3834EA, BOUNCY_CASTLE",
    "0101010101010101, 1000000000000000, 4BD388FF6CD81D4F, BOUNCY_CASTLE",
    "0101010101010101, 0800000000000000, 20B9E767B2FB1456, BOUNCY_CASTLE",
    "0101010101010101, 0400000000000000, 55579380D77138EF, BOUNCY_CASTLE",
    "0101010101010101, 0200000000000000, 6CC5DEFAAF04512F, BOUNCY_CASTLE",
    "8001010101010101, 0000000000000000, 95A8D72813DAA94D, BOUNCY_CASTLE",
    "4001010101010101, 0000000000000000, 0EEC1487DD8C26D5, BOUNCY_CASTLE",
  })
  void desMatchesSp80020(String key, String plain, String cipher, CryptoProvider p) {
    checkBothWays(Algorithm.DES_CBC, p, h(key), new byte[8], h(plain), h(cipher));
    checkBothWays(
        Algorithm.TRIPLE_DES_CBC, p, h(key + key + key), new byte[8], h(plain), h(cipher));
  }

  @Test
  void nullEncryptionLeavesThePayloadAlone() {
    byte[] buf = h("0001020304050607");
    try (EncryptionTransform out =
            TransformFactory.standard()
                .encryption(Algorithm.NULL, new byte[0], Direction.OUTBOUND);
        EncryptionTransform in =
            TransformFactory.standard().encryption(Algorithm.NULL, null, Direction.INBOUND)) {
      assertThat(out.ivLength()).isZero();
      assertThat(out.blockSize()).isEqualTo(1);
      out.encrypt(buf, 0, buf, 0, 7);
      assertThat(in.decrypt(buf, 0, buf, 0, 7)).isTrue();
      assertThat(buf).isEqualTo(h("0001020304050607"));
      assertThat(in.provider()).isEqualTo(CryptoProvider.NONE);
    }
  }
}
