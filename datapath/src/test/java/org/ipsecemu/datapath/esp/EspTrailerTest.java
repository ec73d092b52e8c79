package org.ipsecemu.datapath.esp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.ipsecemu.datapath.packet.ParseResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EspTrailerTest {
  private final EspTrailer trailer = new EspTrailer();

  @Test
  void readsTheTrailerScapyWrote() {
    byte[] p = EspHeaderTest.packet();
    trailer.wrap(p, 28, 48);
    assertThat(trailer.check(true)).isEqualTo(ParseResult.OK);
    assertThat(trailer.padLength()).isEqualTo(1);
    assertThat(trailer.nextHeader()).isEqualTo(17);
    assertThat(trailer.padOffset()).isEqualTo(45);
    assertThat(trailer.dataLength()).isEqualTo(17);
  }

  @Test
  void rejectsPaddingOtherThanOneTwoThree() {
    byte[] p = EspHeaderTest.packet();
    p[45] = 2;
    assertThat(trailer.wrap(p, 28, 48).check(true)).isEqualTo(ParseResult.ESP_BAD_PADDING);
    assertThat(trailer.check(false)).as("contents unchecked").isEqualTo(ParseResult.OK);
  }

  @Test
  void rejectsAPadLengthLargerThanThePayload() {
    byte[] p = EspHeaderTest.packet();
    // 20 plaintext bytes: at most 18 can be padding, with the two trailer bytes after them.
    p[46] = 19;
    assertThat(trailer.wrap(p, 28, 48).check(false)).isEqualTo(ParseResult.ESP_BAD_PAD_LENGTH);
    p[46] = 18;
    assertThat(trailer.wrap(p, 28, 48).check(false)).isEqualTo(ParseResult.OK);
    assertThat(trailer.check(true)).isEqualTo(ParseResult.ESP_BAD_PADDING);
    assertThat(trailer.wrap(p, 47, 48).check(false))
        .as("no room for the trailer")
        .isEqualTo(ParseResult.ESP_BAD_PAD_LENGTH);
  }

  @Test
  void acceptsAnEmptyPayloadWithAllPadding() {
    byte[] plain = {1, 2, 3, 4, 5, 6, 6, 59}; // a dummy packet (RFC 4303 §2.6): all padding
    assertThat(trailer.wrap(plain, 0, plain.length).check(true)).isEqualTo(ParseResult.OK);
    assertThat(trailer.dataLength()).isZero();
    assertThat(trailer.nextHeader()).isEqualTo(59);
  }

  @ParameterizedTest(name = "{0} data bytes, block {1}: pad {2}")
  @CsvSource({
    "17, 1, 1", // scapy's packet above: 17 + 1 + 2 = 20, 4-byte aligned
    "18, 1, 0",
    "0, 1, 2",
    "17, 16, 13", // AES-CBC: 17 + 13 + 2 = 32
    "14, 16, 0",
    "15, 8, 7", // 3DES-CBC: 15 + 7 + 2 = 24
    "100, 4, 2"
  })
  void padsToTheBlockAndToFourBytes(int data, int block, int pad) {
    assertThat(EspTrailer.padLength(data, block)).isEqualTo(pad);
  }

  @Property
  void writtenTrailersPassTheCheck(
      @ForAll @IntRange(min = 0, max = 300) int dataLength,
      @ForAll @IntRange(min = 0, max = 4) int blockExponent,
      @ForAll @IntRange(min = 0, max = 255) int nextHeader) {
    int block = 1 << blockExponent;
    int pad = EspTrailer.padLength(dataLength, block);
    byte[] buf = new byte[dataLength + pad + 2 + 5];
    new Random(dataLength).nextBytes(buf);
    int end = EspTrailer.write(buf, 3 + dataLength, pad, nextHeader);
    assertThat((end - 3) % Math.max(block, 4)).isZero();
    trailer.wrap(buf, 3, end);
    assertThat(trailer.check(true)).isEqualTo(ParseResult.OK);
    assertThat(trailer.dataLength()).isEqualTo(dataLength);
    assertThat(trailer.nextHeader()).isEqualTo(nextHeader);
  }

  @Test
  void writesThePaddingScapyWrites() {
    byte[] p = EspHeaderTest.packet();
    byte[] rebuilt = Arrays.copyOf(p, p.length);
    Arrays.fill(rebuilt, 45, 48, (byte) 0x77);
    EspTrailer.write(rebuilt, 45, EspTrailer.padLength(17, 1), 17);
    assertThat(rebuilt).isEqualTo(p);
  }
}
