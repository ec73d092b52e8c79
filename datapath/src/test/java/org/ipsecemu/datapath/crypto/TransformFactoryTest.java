package org.ipsecemu.datapath.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.ipsecemu.sadb.alg.Algorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransformFactoryTest {

  @ParameterizedTest
  @CsvSource({
    "AES_CBC, JCE",
    "DES_CBC, BOUNCY_CASTLE",
    "TRIPLE_DES_CBC, BOUNCY_CASTLE",
    "HMAC_MD5_96, JCE",
    "HMAC_SHA1_96, JCE",
    "HMAC_SHA2_256_128, JCE",
    "AES_GCM_16, JCE",
    "NULL, NONE",
  })
  void usesTheMeasuredProviderByDefault(Algorithm alg, CryptoProvider expected) {
    assertThat(TransformFactory.defaultProvider(alg)).isEqualTo(expected);
    assertThat(TransformFactory.standard().providerFor(alg)).isEqualTo(expected);
  }

  @Test
  void withProviderChangesOneEntryOfACopy() {
    TransformFactory standard = TransformFactory.standard();
    TransformFactory bc = standard.withProvider(Algorithm.AES_CBC, CryptoProvider.BOUNCY_CASTLE);
    assertThat(bc.providerFor(Algorithm.AES_CBC)).isEqualTo(CryptoProvider.BOUNCY_CASTLE);
    assertThat(standard.providerFor(Algorithm.AES_CBC)).isEqualTo(CryptoProvider.JCE);
    assertThat(bc.encryption(Algorithm.AES_CBC, new byte[16], Direction.INBOUND).provider())
        .isEqualTo(CryptoProvider.BOUNCY_CASTLE);
    assertThatThrownBy(() -> standard.withProvider(Algorithm.NULL, CryptoProvider.JCE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> standard.withProvider(Algorithm.AES_CBC, CryptoProvider.NONE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsWrongKeyLengthsWithoutShowingTheKey() {
    byte[] key = new byte[17];
    java.util.Arrays.fill(key, (byte) 0x5c);
    assertThatThrownBy(
            () -> TransformFactory.standard().encryption(Algorithm.AES_CBC, key, Direction.INBOUND))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad key length alg=aes-cbc bits=136");
    assertThatThrownBy(
            () ->
                TransformFactory.standard()
                    .aead(Algorithm.AES_GCM_16, new byte[16], Direction.INBOUND))
        .hasMessage("bad key length alg=aes-gcm-16 bits=128");
    assertThatThrownBy(
            () ->
                TransformFactory.standard()
                    .integrity(Algorithm.HMAC_SHA1_96, new byte[0], Direction.INBOUND))
        .hasMessage("empty key for hmac-sha1");
    assertThatThrownBy(
            () ->
                TransformFactory.standard()
                    .encryption(Algorithm.NULL, new byte[8], Direction.INBOUND))
        .hasMessage("null encryption takes no key: bytes=8");
  }

  @Test
  void refusesAnAlgorithmOfTheWrongKind() {
    TransformFactory f = TransformFactory.standard();
    assertThatThrownBy(() -> f.encryption(Algorithm.HMAC_SHA1_96, new byte[20], Direction.INBOUND))
        .hasMessage("algorithm hmac-sha1 is INTEGRITY, not ENCRYPTION");
    assertThatThrownBy(() -> f.integrity(Algorithm.AES_GCM_16, new byte[20], Direction.INBOUND))
        .hasMessage("algorithm aes-gcm-16 is COMBINED, not INTEGRITY");
    assertThatThrownBy(() -> f.aead(Algorithm.AES_CBC, new byte[16], Direction.INBOUND))
        .hasMessage("algorithm aes-cbc is ENCRYPTION, not COMBINED");
  }

  @Test
  void integrityTruncationCanBeSetPerSa() {
    // Linux PF_KEY hmac-sha256 uses a 96-bit ICV (see Algorithm.HMAC_SHA2_256_128).
    IntegrityTransform linux =
        TransformFactory.standard()
            .integrity(Algorithm.HMAC_SHA2_256_128, new byte[32], Direction.INBOUND, 12);
    assertThat(linux.icvLength()).isEqualTo(12);
    assertThat(linux.digestLength()).isEqualTo(32);
    assertThatThrownBy(
            () ->
                TransformFactory.standard()
                    .integrity(Algorithm.HMAC_SHA1_96, new byte[20], Direction.INBOUND, 21))
        .hasMessage("ICV length=21 for hmac-sha1 (expected: 1..20)");
  }

  @Test
  void copiesTheKeySoTheCallerMayZeroItsOwn() {
    byte[] key = new byte[16];
    key[0] = 1;
    byte[] iv = new byte[16];
    byte[] a = new byte[16];
    byte[] b = new byte[16];
    TransformFactory f = TransformFactory.standard();
    EncryptionTransform first = f.encryption(Algorithm.AES_CBC, key, Direction.OUTBOUND);
    first.encrypt(iv, 0, a, 0, 16);
    java.util.Arrays.fill(key, (byte) 0);
    first.encrypt(iv, 0, b, 0, 16);
    assertThat(b).isEqualTo(a);
  }

  @Test
  void deterministicFactoriesGiveTheSameIvsInTheSameOrder() {
    byte[][] ivs = new byte[4][16];
    for (int run = 0; run < 2; run++) {
      TransformFactory f = TransformFactory.deterministic(42);
      EncryptionTransform sa1 = f.encryption(Algorithm.AES_CBC, new byte[16], Direction.OUTBOUND);
      AeadTransform sa2 = f.aead(Algorithm.AES_GCM_16, new byte[20], Direction.OUTBOUND);
      byte[] cbc = new byte[16];
      byte[] gcm = new byte[16];
      sa1.nextIv(cbc, 0);
      sa2.nextIv(gcm, 0);
      ivs[run * 2] = cbc;
      ivs[run * 2 + 1] = gcm;
    }
    assertThat(ivs[2]).isEqualTo(ivs[0]);
    assertThat(ivs[3]).isEqualTo(ivs[1]);
    assertThat(ivs[0]).isNotEqualTo(new byte[16]);
  }

  @Test
  void standardFactoriesGiveUnpredictableIvs() {
    byte[] a = new byte[16];
    byte[] b = new byte[16];
    TransformFactory.standard()
        .encryption(Algorithm.AES_CBC, new byte[16], Direction.OUTBOUND)
        .nextIv(a, 0);
    TransformFactory.standard()
        .encryption(Algorithm.AES_CBC, new byte[16], Direction.OUTBOUND)
        .nextIv(b, 0);
    assertThat(a).isNotEqualTo(b);
  }
}
