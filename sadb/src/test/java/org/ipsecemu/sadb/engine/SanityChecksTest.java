package org.ipsecemu.sadb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.ipsecemu.sadb.wire.Errno;
import org.ipsecemu.sadb.wire.SadbMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The EINVAL sanity checks of §3.1.2 and §3.1.3 on ADD (UPDATE of a LARVAL SA runs the same). */
class SanityChecksTest {
  private final ManualClock clock = new ManualClock();
  private final KeyEngine engine = KeyEngine.builder().clock(clock).build();
  private final PfKeySocket km = engine.open(Credentials.root(100));

  private int errnoOf(SadbMessage m) {
    return km.call(m).errno();
  }

  /** Key lengths per algorithm: the allowed ones pass, one byte less or more fails. */
  static Stream<Arguments> keyLengths() {
    return Stream.of(
        // satype, auth, auth key bytes, enc, enc key bytes
        Arguments.of(Pf.ESP, Pf.SHA1, 20, Pf.DES, 8),
        Arguments.of(Pf.ESP, Pf.SHA1, 20, Pf.TDES, 24),
        Arguments.of(Pf.ESP, Pf.MD5, 16, Pf.AES, 16),
        Arguments.of(Pf.ESP, Pf.SHA1, 20, Pf.AES, 24),
        Arguments.of(Pf.ESP, Pf.SHA256, 32, Pf.AES, 32),
        Arguments.of(Pf.ESP, 0, 0, Pf.GCM16, 20),
        Arguments.of(Pf.ESP, 0, 0, Pf.GCM16, 28),
        Arguments.of(Pf.ESP, 0, 0, Pf.GCM16, 36),
        Arguments.of(Pf.AH, Pf.MD5, 16, 0, 0),
        Arguments.of(Pf.AH, Pf.SHA1, 20, 0, 0),
        Arguments.of(Pf.AH, Pf.SHA256, 32, 0, 0));
  }

  @ParameterizedTest
  @MethodSource("keyLengths")
  void acceptsEachAlgorithmsKeyLengthAndRefusesOthersWithEinval(
      int satype, int auth, int authBytes, int enc, int encBytes) {
    byte[] ak = auth == 0 ? null : Pf.key(authBytes, 1);
    byte[] ek = enc == 0 ? null : Pf.key(encBytes, 2);
    assertThat(errnoOf(Pf.add(satype, 0x1000, auth, ak, enc, ek))).isZero();
    if (auth != 0) {
      assertThat(errnoOf(Pf.add(satype, 0x1001, auth, Pf.key(authBytes - 1, 1), enc, ek)))
          .isEqualTo(Errno.EINVAL.number());
    }
    if (enc != 0) {
      assertThat(errnoOf(Pf.add(satype, 0x1002, auth, ak, enc, Pf.key(encBytes + 1, 2))))
          .isEqualTo(Errno.EINVAL.number());
    }
  }

  @Test
  void desKeyWithWrongParityFailsWithEinval() {
    byte[] even = Pf.hex("0203040506070809"); // 02, 03... several bytes of even parity
    assertThat(errnoOf(Pf.add(Pf.ESP, 0x1000, Pf.SHA1, Pf.key(20, 1), Pf.DES, even)))
        .isEqualTo(Errno.EINVAL.number());
  }

  @Test
  void desParityCheckCanBeSwitchedOffForCapturedKeys() {
    KeyEngine lax =
        KeyEngine.builder()
            .clock(clock)
            .profile(EngineProfile.linux().withDesParityCheck(false))
            .build();
    PfKeySocket s = lax.open(Credentials.root(1));
    byte[] even = Pf.hex("0203040506070809");
    assertThat(s.call(Pf.add(Pf.ESP, 0x1000, Pf.SHA1, Pf.key(20, 1), Pf.DES, even)).errno())
        .isZero();
  }

  @Test
  void weakDesKeyFailsWithEinval() {
    // FIPS 74: 0101010101010101 is one of the four weak keys.
    byte[] weak = Pf.hex("0101010101010101");
    assertThat(errnoOf(Pf.add(Pf.ESP, 0x1000, Pf.SHA1, Pf.key(20, 1), Pf.DES, weak)))
        .isEqualTo(Errno.EINVAL.number());
  }

  @Test
  void semiWeakDesKeyFailsWithEinval() {
    // FIPS 74: 01FE01FE01FE01FE is one of the twelve semi-weak keys.
    byte[] semi = Pf.hex("01FE01FE01FE01FE");
    assertThat(errnoOf(Pf.add(Pf.ESP, 0x1000, Pf.SHA1, Pf.key(20, 1), Pf.DES, semi)))
        .isEqualTo(Errno.EINVAL.number());
  }

  @Test
  void tripleDesWithTwoEqualKeysFailsWithEinval() {
    byte[] k1 = Pf.key(8, 1);
    byte[] k3 = Pf.key(8, 3);
    byte[] k1k1k3 = new byte[24];
    System.arraycopy(k1, 0, k1k1k3, 0, 8);
    System.arraycopy(k1, 0, k1k1k3, 8, 8);
    System.arraycopy(k3, 0, k1k1k3, 16, 8);
    assertThat(errnoOf(Pf.add(Pf.ESP, 0x1000, Pf.SHA1, Pf.key(20, 1), Pf.TDES, k1k1k3)))
        .isEqualTo(Errno.EINVAL.number());
  }

  @Test
  void ahWithoutAnAuthenticationAlgorithmFailsWithEinval() {
    assertThat(errnoOf(Pf.add(Pf.AH, 0x1000, 0, null, 0, null))).isEqualTo(Errno.EINVAL.number());
  }

  @Test
  void espWithoutAnEncryptionAlgorithmFailsWithEinval() {
    assertThat(errnoOf(Pf.add(Pf.ESP, 0x1000, Pf.SHA1, Pf.key(20, 1), 0, null)))
        .isEqualTo(Errno.EINVAL.number());
  }

  @Test
  void espWithNullEncryptionAndIntegrityIsAccepted() {
    assertThat(errnoOf(Pf.add(Pf.ESP, 0x1000, Pf.SHA1, Pf.key(20, 1), Pf.NULL_ENC, null))).isZero();
  }

  @Test
  void espWithNeitherConfidentialityNorIntegrityFailsWithEinval() {
    assertThat(errnoOf(Pf.add(Pf.ESP, 0x1000, 0, null, Pf.NULL_ENC, null)))
        .isEqualTo(Errno.EINVAL.number());
  }

  @Test
  void unsupportedAlgorithmIdsFailWithEinval() {
    // 7: SADB_X_EALG_BLOWFISHCBC, 8: RIPEMD-160 HMAC, 200: nobody's.
    assertThat(errnoOf(Pf.add(Pf.ESP, 0x1000, Pf.SHA1, Pf.key(20, 1), 7, Pf.key(16, 2))))
        .isEqualTo(Errno.EINVAL.number());
    assertThat(errnoOf(Pf.add(Pf.AH, 0x1001, 8, Pf.key(20, 1), 0, null)))
        .isEqualTo(Errno.EINVAL.number());
    assertThat(errnoOf(Pf.add(Pf.ESP, 0x1002, 200, Pf.key(20, 1), Pf.AES, Pf.key(16, 2))))
        .isEqualTo(Errno.EINVAL.number());
  }

  @Test
  void missingKeyFailsWithEinval() {
    assertThat(errnoOf(Pf.add(Pf.ESP, 0x1000, Pf.SHA1, null, Pf.AES, Pf.key(16, 2))))
        .isEqualTo(Errno.EINVAL.number());
  }

  @Test
  void combinedModeWithAnAuthAlgorithmFailsWithEinval() {
    assertThat(errnoOf(Pf.add(Pf.ESP, 0x1000, Pf.SHA1, Pf.key(20, 1), Pf.GCM16, Pf.key(20, 2))))
        .isEqualTo(Errno.EINVAL.number());
  }

  @Test
  void prefixIdentityMustContainTheSaAddress() {
    // §3.7: PREFIX identities must contain the SA's address and have no bits beyond the prefix.
    org.ipsecemu.sadb.wire.IdentityExtension inside =
        new org.ipsecemu.sadb.wire.IdentityExtension(
            org.ipsecemu.sadb.wire.ExtensionType.SADB_EXT_IDENTITY_SRC, 1, 0, "192.0.2.0/24");
    org.ipsecemu.sadb.wire.IdentityExtension outside =
        new org.ipsecemu.sadb.wire.IdentityExtension(
            org.ipsecemu.sadb.wire.ExtensionType.SADB_EXT_IDENTITY_SRC, 1, 0, "199.33.248.64/27");
    org.ipsecemu.sadb.wire.IdentityExtension hostBits =
        new org.ipsecemu.sadb.wire.IdentityExtension(
            org.ipsecemu.sadb.wire.ExtensionType.SADB_EXT_IDENTITY_SRC, 1, 0, "192.0.2.1/24");
    org.ipsecemu.sadb.wire.IdentityExtension fqdn =
        new org.ipsecemu.sadb.wire.IdentityExtension(
            org.ipsecemu.sadb.wire.ExtensionType.SADB_EXT_IDENTITY_SRC,
            2,
            0,
            "ministry-of-truth.inner.net");
    assertThat(errnoOf(Pf.addEsp(0x1000, 1, 100, inside))).isZero();
    assertThat(errnoOf(Pf.addEsp(0x1001, 1, 100, outside))).isEqualTo(Errno.EINVAL.number());
    assertThat(errnoOf(Pf.addEsp(0x1002, 1, 100, hostBits))).isEqualTo(Errno.EINVAL.number());
    assertThat(errnoOf(Pf.addEsp(0x1003, 1, 100, fqdn))).isZero();
  }

  @Test
  void spiZeroFailsWithEinval() {
    assertThat(errnoOf(Pf.addEsp(0, 1, 100))).isEqualTo(Errno.EINVAL.number());
  }

  @Test
  void softLifetimeAboveHardIsAccepted() {
    assertThat(errnoOf(Pf.addEsp(0x1000, 1, 100, Pf.hard(0, 0, 10, 0), Pf.soft(0, 0, 20, 0))))
        .isZero();
  }

  @Test
  void refusedAddLeavesNothingBehind() {
    errnoOf(Pf.add(Pf.ESP, 0x1000, 0, null, Pf.NULL_ENC, null));
    assertThat(engine.associations()).isEmpty();
  }

  @Test
  void errorMessagesNeverShowKeyBytes() {
    byte[] weak = Pf.hex("0101010101010101");
    try {
      Validation.params(
          Pf.add(Pf.ESP, 0x1000, Pf.SHA1, Pf.key(20, 1), Pf.DES, weak),
          Pf.ESP,
          EngineProfile.linux());
    } catch (org.ipsecemu.sadb.wire.PfKeyException e) {
      assertThat(e.getMessage()).doesNotContain("0101010101010101").contains("weak");
      return;
    }
    throw new AssertionError("weak key accepted");
  }
}
