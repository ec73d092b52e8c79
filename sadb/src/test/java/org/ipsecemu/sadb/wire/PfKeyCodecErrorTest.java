package org.ipsecemu.sadb.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteOrder;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * One malformed message per rule of RFC 2367 the decoder enforces, each named for its defect and
 * written by hand (little-endian, Linux sockaddrs unless noted).
 */
class PfKeyCodecErrorTest {
  private final PfKeyCodec codec = new PfKeyCodec();

  /** A header with this type, satype ESP, and {@code len} 64-bit words. */
  private static String header(int type, int len) {
    return String.format("02 %02x 00 03  %02x 00 00 00  01 00 00 00  02 00 00 00", type, len);
  }

  private static final String SA = "02 00 01 00  00 00 10 01  20 01 03 03  00 00 00 00";
  private static final String SRC4 =
      "03 00 05 00  00 20 00 00  02 00 00 00  c0 00 02 01  00 00 00 00 00 00 00 00";
  private static final String DST4 =
      "03 00 06 00  00 20 00 00  02 00 00 00  c0 00 02 02  00 00 00 00 00 00 00 00";
  private static final String DST6 =
      "05 00 06 00  00 80 00 00  0a 00 00 00  00 00 00 00"
          + "20 01 0d b8 00 00 00 00  00 00 00 00 00 00 00 02  00 00 00 00  00 00 00 00";

  private AbstractThrowableAssert<?, ?> assertRejects(Errno errno, String... hex) {
    byte[] bytes = Hex.bytes(hex);
    return assertThatThrownBy(() -> codec.decode(bytes))
        .isInstanceOfSatisfying(PfKeyException.class, e -> assertThat(e.errno()).isEqualTo(errno));
  }

  // ------------------------------------------------------------------ EMSGSIZE (§2.1)

  @Test
  void rejectsBufferShorterThanBaseHeaderWithEmsgsize() {
    assertRejects(Errno.EMSGSIZE, "02 09 00 00  01 00 00 00")
        .hasMessageContaining("8 bytes is shorter than sadb_msg");
  }

  @Test
  void rejectsEmptyBufferWithEmsgsize() {
    assertRejects(Errno.EMSGSIZE, "");
  }

  @Test
  void rejectsLengthFieldLongerThanBytesGivenWithEmsgsize() {
    assertRejects(Errno.EMSGSIZE, header(9, 3))
        .hasMessage("sadb_msg_len=3 (24 bytes) does not match the 16 bytes given");
  }

  @Test
  void rejectsLengthFieldShorterThanBytesGivenWithEmsgsize() {
    assertRejects(Errno.EMSGSIZE, header(9, 2), "00 00 00 00 00 00 00 00");
  }

  @Test
  void rejectsLengthFieldZeroWithEmsgsize() {
    assertRejects(Errno.EMSGSIZE, header(9, 0));
  }

  // ------------------------------------------------------------------ EINVAL (§2.1, §2.3)

  @Test
  void rejectsVersionOtherThanPfKeyV2WithEinval() {
    assertRejects(Errno.EINVAL, "01 09 00 00  02 00 00 00  00 00 00 00  00 00 00 00")
        .hasMessage("sadb_msg_version=1 (expected: PF_KEY_V2=2)");
  }

  @Test
  void rejectsUnknownMessageTypeWithEinval() {
    assertRejects(Errno.EINVAL, header(99, 2)).hasMessageContaining("sadb_msg_type=99");
  }

  @Test
  void rejectsReservedMessageTypeZeroWithEinval() {
    assertRejects(Errno.EINVAL, header(0, 2)).hasMessageContaining("sadb_msg_type=0");
  }

  @Test
  void rejectsExtensionOfLengthZeroWithEinval() {
    assertRejects(Errno.EINVAL, header(9, 3), "00 00 01 00  00 00 00 00")
        .hasMessage("extension SADB_EXT_SA length=0 at offset 16");
  }

  @Test
  void rejectsExtensionRunningPastTheMessageWithEinval() {
    assertRejects(Errno.EINVAL, header(3, 3), "02 00 01 00  00 00 10 01")
        .hasMessageContaining("SADB_EXT_SA length=2 (16 bytes) at offset 16 runs past the end");
  }

  @Test
  void rejectsExtensionOfReservedTypeZeroWithEinval() {
    assertRejects(Errno.EINVAL, header(3, 3), "01 00 00 00  00 00 00 00")
        .hasMessageContaining("SADB_EXT_RESERVED");
  }

  @Test
  void rejectsDuplicateExtensionWithEinval() {
    assertRejects(Errno.EINVAL, header(3, 6), SA, SA)
        .hasMessage("duplicate extension SADB_EXT_SA at offset 32");
  }

  @Test
  void rejectsDuplicateAddressOfTheSameKindWithEinval() {
    assertRejects(Errno.EINVAL, header(3, 8), SRC4, SRC4)
        .hasMessage("duplicate extension SADB_EXT_ADDRESS_SRC at offset 40");
  }

  @Test
  void rejectsTruncatedSaExtensionWithEinval() {
    assertRejects(Errno.EINVAL, header(3, 3), "01 00 01 00  00 00 10 01")
        .hasMessage("truncated extension SADB_EXT_SA at offset 16: 8 bytes (expected: 16+)");
  }

  @Test
  void rejectsTruncatedLifetimeWithEinval() {
    assertRejects(Errno.EINVAL, header(3, 4), "02 00 03 00  00 00 00 00  00 00 00 00 00 00 00 00")
        .hasMessageContaining("SADB_EXT_LIFETIME_HARD");
  }

  // ------------------------------------------------------------------ keys (§2.3.4)

  @Test
  void rejectsKeyWithZeroBitsWithEinval() {
    assertRejects(Errno.EINVAL, header(3, 4), "02 00 08 00  00 00 00 00  11 22 33 44 55 66 77 88")
        .hasMessage("SADB_EXT_KEY_AUTH at offset 16: sadb_key_bits=0");
  }

  @Test
  void rejectsKeyBitsBeyondTheKeyDataWithEinval() {
    // 65 bits need 9 bytes; the extension holds 8.
    assertRejects(Errno.EINVAL, header(3, 4), "02 00 09 00  41 00 00 00  11 22 33 44 55 66 77 88")
        .hasMessage(
            "SADB_EXT_KEY_ENCRYPT at offset 16: sadb_key_bits=65 exceed the 8 bytes of key data");
  }

  @Test
  void acceptsKeyBitsFillingTheKeyDataExactly() {
    SadbMessage m =
        codec.decode(Hex.bytes(header(3, 4), "02 00 09 00  40 00 00 00  11 22 33 44 55 66 77 88"));
    assertThat(m.keyEncrypt().orElseThrow().bits()).isEqualTo(64);
  }

  // ------------------------------------------------------------------ addresses (§2.3.3)

  @Test
  void rejectsSourceAndDestinationOfDifferentFamiliesWithEinval() {
    assertRejects(Errno.EINVAL, header(4, 10), SRC4, DST6)
        .hasMessage(
            "source and destination of different families: SADB_EXT_ADDRESS_SRC at offset 16 is"
                + " AF_INET, SADB_EXT_ADDRESS_DST at offset 40 is AF_INET6");
  }

  @Test
  void acceptsProxyOfAnotherFamily() {
    String proxy6 = DST6.replaceFirst("05 00 06 00", "05 00 07 00");
    SadbMessage m = codec.decode(Hex.bytes(header(3, 13), SRC4, DST4, proxy6));
    assertThat(m.addressProxy().orElseThrow().address().family()).isEqualTo(AddressFamily.AF_INET6);
  }

  @Test
  void rejectsIpv4PrefixLengthBeyond32WithEinval() {
    assertRejects(Errno.EINVAL, header(3, 5), SRC4.replace("00 20 00 00", "00 21 00 00"))
        .hasMessage(
            "SADB_EXT_ADDRESS_SRC at offset 16: prefixlen=33 beyond the 32-bit AF_INET address");
  }

  @Test
  void rejectsIpv6PrefixLengthBeyond128WithEinval() {
    assertRejects(Errno.EINVAL, header(3, 7), DST6.replace("00 80 00 00", "00 81 00 00"))
        .hasMessageContaining("prefixlen=129 beyond the 128-bit AF_INET6 address");
  }

  @Test
  void rejectsUnsupportedAddressFamilyWithEinval() {
    assertRejects(Errno.EINVAL, header(3, 5), SRC4.replace("02 00 00 00  c0", "07 00 00 00  c0"))
        .hasMessageContaining("unsupported sa_family=7");
  }

  @Test
  void rejectsIpv6SockaddrCutShortWithEinval() {
    // len=3 leaves 16 bytes for a 28-byte sockaddr_in6
    assertRejects(
            Errno.EINVAL,
            header(3, 5),
            "03 00 05 00  00 80 00 00  0a 00 00 00  00 00 00 00  20 01 0d b8 00 00 00 00")
        .hasMessageContaining("truncated AF_INET6 sockaddr");
  }

  @Test
  void rejectsAddressExtensionWithoutSockaddrWithEinval() {
    assertRejects(Errno.EINVAL, header(3, 3), "01 00 05 00  00 20 00 00")
        .hasMessageContaining("truncated extension SADB_EXT_ADDRESS_SRC");
  }

  @Test
  void rejectsBsdSockaddrWhoseSaLenDisagreesWithItsFamilyWithEinval() {
    PfKeyCodec bsd = new PfKeyCodec(WireFormat.LINUX.withSockaddrLayout(SockaddrLayout.BSD));
    byte[] bytes = Hex.bytes(header(3, 5), SRC4.replace("02 00 00 00  c0", "0f 02 00 00  c0"));
    assertThatThrownBy(() -> bsd.decode(bytes))
        .isInstanceOf(PfKeyException.class)
        .hasMessageContaining("sa_len=15 for AF_INET (expected: 16)");
  }

  // ------------------------------------------------------------------ SPI range (§2.3.9)

  @Test
  void rejectsSpiRangeWithMinAboveMaxWithEinval() {
    assertRejects(Errno.EINVAL, header(1, 4), "02 00 10 00  00 02 00 00  00 01 00 00  00 00 00 00")
        .hasMessage("SADB_EXT_SPIRANGE at offset 16: min=0x00000200 exceeds max=0x00000100");
  }

  @Test
  void acceptsSpiRangeOfOneValue() {
    SadbMessage m =
        codec.decode(Hex.bytes(header(1, 4), "02 00 10 00  ff ff ff ff  ff ff ff ff  00 00 00 00"));
    assertThat(m.spiRange().orElseThrow())
        .isEqualTo(new SpiRangeExtension(0xffffffffL, 0xffffffffL));
  }

  // ------------------------------------------------------------------ arrays that must fill
  // exactly

  @Test
  void rejectsProposalWithPartialCombinationWithEinval() {
    assertRejects(Errno.EINVAL, header(6, 4), "02 00 0d 00  20 00 00 00  00 00 00 00 00 00 00 00")
        .hasMessageContaining("not a whole number of 72-byte sadb_comb");
  }

  @Test
  void rejectsSensitivityWhoseBitmapLengthsDisagreeWithItsLengthWithEinval() {
    assertRejects(Errno.EINVAL, header(3, 4), "02 00 0c 00  00 00 00 00  00 01 00 00  00 00 00 00")
        .hasMessageContaining("sens_len=1 integ_len=0 need 24 bytes, extension has 16");
  }

  @Test
  void rejectsIpsecRequestShorterThanItsStructWithEinval() {
    assertRejects(
            Errno.EINVAL,
            header(14, 6),
            "04 00 12 00  02 00 02 00  00 00 00 00  00 00 00 00",
            "08 00 32 00  02 02 00 00  00 00 00 00  00 00 00 00")
        .hasMessageContaining("sadb_x_ipsecrequest_len=8");
  }

  @Test
  void rejectsIpsecRequestRunningPastItsPolicyWithEinval() {
    assertRejects(
            Errno.EINVAL,
            header(14, 6),
            "04 00 12 00  02 00 02 00  00 00 00 00  00 00 00 00",
            "30 00 32 00  02 02 00 00  00 00 00 00  00 00 00 00")
        .hasMessageContaining("sadb_x_ipsecrequest_len=48");
  }

  @Test
  void rejectsPolicyWithTrailingBytesThatAreNoRequestWithEinval() {
    assertRejects(
            Errno.EINVAL,
            header(14, 5),
            "03 00 12 00  02 00 02 00  00 00 00 00  00 00 00 00  00 00 00 00 00 00 00 00")
        .hasMessageContaining("8 trailing bytes");
  }

  @Test
  void rejectsIdentityStringWithoutItsNulWithEinval() {
    // §2.4: a null-terminated C-string. Found by PfKeyDecoderFuzzTest: without the NUL the
    // re-encoded extension grew by a word.
    assertRejects(
            Errno.EINVAL,
            header(3, 5),
            "03 00 0a 00  02 00 00 00  00 00 00 00 00 00 00 00  61 62 63 64 65 66 67 68")
        .hasMessage(
            "SADB_EXT_IDENTITY_SRC at offset 16: identity string of 8 bytes has no NUL within the"
                + " extension");
  }

  @Test
  void acceptsIdentityExtensionWithoutAString() {
    SadbMessage m =
        codec.decode(Hex.bytes(header(3, 4), "02 00 0a 00  02 00 00 00  07 00 00 00 00 00 00 00"));
    assertThat(m.identitySrc().orElseThrow().string()).isEmpty();
  }

  // ------------------------------------------------------------------ what is accepted

  @Test
  void skipsUnknownExtensionAndKeepsIt() {
    SadbMessage m =
        codec.decode(
            Hex.bytes(header(3, 6), "02 00 39 30  01 02 03 04  05 06 07 08 09 0a 0b 0c", SA));
    assertThat(m.extensions())
        .containsExactly(
            new UnknownExtension(12345, Hex.bytes("01020304 05060708090a0b0c")),
            new SaExtension(0x1001, 32, 1, 3, 3, 0));
    assertThat(m.find(12345)).isPresent();
  }

  @Test
  void keepsRepeatedUnknownExtensionsWithoutComplaint() {
    SadbMessage m =
        codec.decode(
            Hex.bytes(header(3, 4), "01 00 e8 03  aa bb cc dd", "01 00 e8 03  11 22 33 44"));
    assertThat(m.extensions()).hasSize(2);
  }

  @Test
  void keepsLinuxSecurityContextRawButNamed() {
    SadbMessage m = codec.decode(Hex.bytes(header(3, 3), "01 00 18 00  01 01 00 00"));
    assertThat(m.extensions().get(0)).isInstanceOf(UnknownExtension.class);
    assertThat(m.extensions().get(0).exttypeSymbol()).isEqualTo("SADB_X_EXT_SEC_CTX");
  }

  @Test
  void acceptsPaddingBeyondTheKeyAndDropsIt() {
    SadbMessage m =
        codec.decode(
            Hex.bytes(
                header(3, 5),
                "03 00 08 00  10 00 00 00  ab cd 00 00 00 00 00 00  00 00 00 00 00 00 00 00"));
    assertThat(m.keyAuth().orElseThrow())
        .isEqualTo(new KeyExtension(ExtensionType.SADB_EXT_KEY_AUTH, 16, Hex.bytes("abcd")));
    assertThat(m.len()).isEqualTo(5);
    assertThat(m.computedLen()).isEqualTo(4);
  }

  @Test
  void readsIdentityStringUpToItsNul() {
    SadbMessage m =
        codec.decode(
            Hex.bytes(
                header(3, 5),
                "03 00 0a 00  02 00 00 00  00 00 00 00 00 00 00 00  61 62 00 7a 7a 7a 7a 7a"));
    assertThat(m.identitySrc().orElseThrow().string()).isEqualTo("ab");
  }

  @Test
  void readsBigEndianMessagesWithTheSameRules() {
    PfKeyCodec be = new PfKeyCodec(WireFormat.LINUX.withByteOrder(ByteOrder.BIG_ENDIAN));
    byte[] bytes =
        Hex.bytes(
            "02 03 00 03  00 06 00 00  00 00 00 01  00 00 00 02",
            "00 02 00 01  00 00 10 01  20 01 03 03  00 00 00 00",
            "00 02 00 01  00 00 10 01  20 01 03 03  00 00 00 00");
    assertThatThrownBy(() -> be.decode(bytes))
        .hasMessage("duplicate extension SADB_EXT_SA at offset 32");
  }

  // ------------------------------------------------------------------ encoder limits

  @Test
  void refusesToEncodeIntoATooSmallBufferWithEmsgsize() {
    assertThatThrownBy(
            () -> codec.encode(WireVectors.addEsp(), java.nio.ByteBuffer.allocate(100), 0))
        .isInstanceOfSatisfying(
            PfKeyException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EMSGSIZE));
  }

  @Test
  void refusesToEncodeAMessageLongerThanItsLengthFieldWithEmsgsize() {
    SadbMessage huge =
        SadbMessage.of(
            MessageType.SADB_ADD,
            SaType.SADB_SATYPE_ESP,
            0,
            0,
            new KmPrivateExtension(new byte[65535 * 8]),
            new UnknownExtension(999, new byte[100]));
    assertThatThrownBy(() -> PfKeyCodec.encodedLength(huge))
        .isInstanceOfSatisfying(
            PfKeyException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EMSGSIZE));
  }
}
