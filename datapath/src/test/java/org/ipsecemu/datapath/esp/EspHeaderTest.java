package org.ipsecemu.datapath.esp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.ipsecemu.datapath.packet.ParseResult;
import org.junit.jupiter.api.Test;

class EspHeaderTest {
  // esp_vectors.py 'esp_null_sha1': IP(192.0.2.1 > 192.0.2.2) / ESP(spi 0x1001, seq 42, NULL
  // encryption, HMAC-SHA1-96) carrying UDP(7 > 7)/b'hello esp': 17 bytes of payload, padding 01,
  // pad length 1, next header 17, then the 12-byte ICV.
  static final String ESP_NULL_SHA1 =
      "4500003c000100004032f68bc0000201c0000202"
          + "00001001 0000002a"
          + "000700070011625468656c6c6f20657370"
          + "01 01 11"
          + "b68d4081d0764a4a5d57bbe0";

  static byte[] packet() {
    return HexFormat.of().parseHex(ESP_NULL_SHA1.replace(" ", ""));
  }

  private final EspHeader esp = new EspHeader();

  @Test
  void locatesEveryPartOfAScapyPacket() {
    byte[] p = packet();
    esp.wrap(p, 20, p.length - 20);
    assertThat(esp.validate(0, 12, 1)).isEqualTo(ParseResult.OK);
    assertThat(esp.spi()).isEqualTo(0x1001);
    assertThat(esp.sequence()).isEqualTo(42);
    assertThat(esp.sequenceUnsigned()).isEqualTo(42L);
    assertThat(esp.ivOffset()).isEqualTo(28);
    assertThat(esp.payloadOffset(0)).isEqualTo(28);
    assertThat(esp.payloadOffset(16)).isEqualTo(44);
    assertThat(esp.icvOffset(12)).isEqualTo(48);
    assertThat(esp.ciphertextLength(0, 12)).isEqualTo(20);
    assertThat(esp.end()).isEqualTo(60);
  }

  @Test
  void rejectsPacketsTooShortForHeaderIvTrailerAndIcv() {
    byte[] p = packet();
    for (int n = 0; n < 22; n++) {
      assertThat(esp.wrap(p, 20, n).validate(0, 12, 1))
          .as("length %d", n)
          .isEqualTo(ParseResult.ESP_TRUNCATED);
    }
    assertThat(esp.wrap(p, 20, 22).validate(0, 12, 1)).isEqualTo(ParseResult.OK);
    assertThat(esp.wrap(p, 20, 40).validate(16, 16, 1)).isEqualTo(ParseResult.ESP_TRUNCATED);
  }

  @Test
  void rejectsCiphertextThatIsNotWholeBlocks() {
    byte[] p = packet();
    esp.wrap(p, 20, p.length - 20);
    assertThat(esp.validate(0, 12, 4)).isEqualTo(ParseResult.OK);
    assertThat(esp.validate(0, 12, 8)).isEqualTo(ParseResult.ESP_BAD_ALIGNMENT);
    assertThat(esp.validate(4, 12, 16)).isEqualTo(ParseResult.OK);
  }

  @Test
  void settersWriteInPlace() {
    byte[] p = packet();
    esp.wrap(p, 20, p.length - 20).spi(0xc0ffee00).sequence(-2);
    assertThat(esp.spi()).isEqualTo(0xc0ffee00);
    assertThat(esp.sequenceUnsigned()).isEqualTo(0xfffffffeL);
    assertThat(p[20]).isEqualTo((byte) 0xc0);
    assertThat(p[27]).isEqualTo((byte) 0xfe);
  }

  @Test
  void rejectsBoundsOutsideTheArray() {
    byte[] p = packet();
    assertThat(esp.wrap(p, 30, p.length).validate(0, 12, 1)).isEqualTo(ParseResult.ESP_TRUNCATED);
  }
}
