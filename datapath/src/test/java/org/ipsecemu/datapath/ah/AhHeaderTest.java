package org.ipsecemu.datapath.ah;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.ipsecemu.datapath.packet.ParseResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AhHeaderTest {
  private final AhHeader ah = new AhHeader();

  @Test
  void readsTheFieldsOfAScapyHeader() {
    byte[] p = AhIcvInputTest.hex(AhIcvInputTest.V6_SHA256);
    ah.wrap(p, 40, p.length - 40);
    assertThat(ah.validate(16, true)).isEqualTo(ParseResult.OK);
    assertThat(ah.nextHeader()).isEqualTo(6);
    assertThat(ah.payloadLength()).isEqualTo(6);
    assertThat(ah.headerLength()).isEqualTo(32);
    assertThat(ah.reserved()).isZero();
    assertThat(ah.spi()).isEqualTo(0x4103);
    assertThat(ah.sequence()).isEqualTo(9);
    assertThat(ah.sequenceUnsigned()).isEqualTo(9L);
    assertThat(ah.icvOffset()).isEqualTo(52);
    assertThat(ah.icvFieldLength()).isEqualTo(20);
    assertThat(ah.end()).isEqualTo(72);
  }

  @ParameterizedTest(name = "ICV {0} bytes over IPv{1}: header {2}, payload length {3}")
  @CsvSource({
    // RFC 4302 §2.2: length in 32-bit words minus 2; §2.6: pad to 4 (IPv4) or 8 (IPv6) bytes
    "12, 4, 24, 4", // HMAC-SHA1-96, HMAC-MD5-96
    "12, 6, 24, 4",
    "16, 4, 28, 5", // HMAC-SHA-256-128 (RFC 4868)
    "16, 6, 32, 6",
    "24, 4, 36, 7", // HMAC-SHA-384-192
    "24, 6, 40, 8",
    "32, 4, 44, 9", // HMAC-SHA-512-256
    "32, 6, 48, 10"
  })
  void sizesTheHeaderForItsIcv(int icv, int version, int headerLength, int payloadLength) {
    assertThat(AhHeader.headerLengthFor(icv, version == 6)).isEqualTo(headerLength);
    assertThat(AhHeader.payloadLengthFor(icv, version == 6)).isEqualTo(payloadLength);
  }

  @Test
  void writesAnOutboundHeaderOverNoise() {
    byte[] buf = new byte[40];
    new Random(1).nextBytes(buf);
    int length = ah.wrap(buf, 4, 36).write(17, 16, true, 0x4103, 9);
    assertThat(length).isEqualTo(32);
    assertThat(
            AhIcvInputTest.hex("1106000000004103000000090000000000000000000000000000000000000000"))
        .isEqualTo(java.util.Arrays.copyOfRange(buf, 4, 36));
    assertThat(ah.validate(16, true)).isEqualTo(ParseResult.OK);
  }

  @Test
  void rejectsAHeaderRunningPastThePacket() {
    byte[] p = AhIcvInputTest.hex(AhIcvInputTest.V6_SHA256);
    for (int n = 0; n < 32; n++) {
      assertThat(ah.wrap(p, 40, n).validate(16, true))
          .as("length %d", n)
          .isEqualTo(ParseResult.AH_TRUNCATED);
    }
  }

  @Test
  void rejectsALengthThatDoesNotMatchTheIcv() {
    byte[] p = AhIcvInputTest.hex(AhIcvInputTest.V6_SHA256);
    ah.wrap(p, 40, p.length - 40);
    assertThat(ah.validate(12, true)).isEqualTo(ParseResult.AH_BAD_LENGTH);
    assertThat(ah.validate(16, false))
        .as("28 bytes expected over IPv4")
        .isEqualTo(ParseResult.AH_BAD_LENGTH);
    p[41] = 5; // 28 bytes: not 64-bit aligned, wrong over IPv6
    assertThat(ah.validate(16, true)).isEqualTo(ParseResult.AH_BAD_LENGTH);
    assertThat(ah.validate(16, false)).isEqualTo(ParseResult.OK);
  }

  @Test
  void settersWriteInPlace() {
    byte[] buf = new byte[24];
    ah.wrap(buf, 0, 24).nextHeader(4).payloadLength(4).reserved(0).spi(0xdeadbeef).sequence(-1);
    assertThat(ah.nextHeader()).isEqualTo(4);
    assertThat(ah.spi()).isEqualTo(0xdeadbeef);
    assertThat(ah.sequence()).isEqualTo(-1);
    assertThat(ah.sequenceUnsigned()).isEqualTo(0xffffffffL);
    assertThat(ah.validate(12, false)).isEqualTo(ParseResult.OK);
  }
}
