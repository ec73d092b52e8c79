package org.ipsecemu.datapath.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Ipv4HeaderTest {
  // packet_vectors.py 'v4_opts_esp': IP(src='198.51.100.1', dst='203.0.113.9', ttl=64, id=1,
  // flags='DF', options=[NOP, NOP, Router Alert, EOL, EOL], proto=50) / ESP(spi 0x1001, seq 1)
  // + 16 bytes
  static final String OPTIONS_ESP =
      "47000034 0001 4000 40 32 3d53 c6336401 cb007109 01 01 94040000 00 00"
          + " 00001001 00000001 000102030405060708090a0b0c0d0e0f";

  @Test
  void readsEveryFieldOfAHeaderWithOptions() {
    byte[] p = Hex.bytes(OPTIONS_ESP);
    Ipv4Header h = new Ipv4Header().wrap(p, 0, p.length);
    assertThat(h.validate()).isEqualTo(ParseResult.OK);
    assertThat(h.version()).isEqualTo(4);
    assertThat(h.ihl()).isEqualTo(7);
    assertThat(h.headerLength()).isEqualTo(28);
    assertThat(h.optionsLength()).isEqualTo(8);
    assertThat(h.totalLength()).isEqualTo(52);
    assertThat(h.identification()).isEqualTo(1);
    assertThat(h.dontFragment()).isTrue();
    assertThat(h.moreFragments()).isFalse();
    assertThat(h.isFragment()).isFalse();
    assertThat(h.ttl()).isEqualTo(64);
    assertThat(h.protocol()).isEqualTo(50);
    assertThat(h.checksum()).isEqualTo(0x3d53);
    assertThat(h.source()).isEqualTo(0xc6336401);
    assertThat(h.destination()).isEqualTo(0xcb007109);
    assertThat(h.payloadOffset()).isEqualTo(28);
    assertThat(h.end()).isEqualTo(52);
    assertThat(h.isChecksumValid()).isTrue();
    assertThat(h.computeChecksum()).isEqualTo(0x3d53);
  }

  @Test
  void readsAtAnOffsetInsideALargerBuffer() {
    byte[] packet = Hex.bytes(OPTIONS_ESP);
    byte[] buf = new byte[packet.length + 30];
    System.arraycopy(packet, 0, buf, 14, packet.length);
    Ipv4Header h = new Ipv4Header().wrap(buf, 14, packet.length + 16);
    assertThat(h.validate()).isEqualTo(ParseResult.OK);
    assertThat(h.payloadOffset()).isEqualTo(14 + 28);
    assertThat(h.end()).isEqualTo(14 + 52);
    assertThat(h.isChecksumValid()).isTrue();
  }

  @Test
  void rejectsEveryTruncationWithoutThrowing() {
    byte[] full = Hex.bytes(OPTIONS_ESP);
    Ipv4Header h = new Ipv4Header();
    for (int n = 0; n < full.length; n++) {
      ParseResult r = h.wrap(Arrays.copyOf(full, n), 0, n).validate();
      assertThat(r).as("length %d", n).isNotEqualTo(ParseResult.OK);
      ParseResult expected =
          n < 20
              ? ParseResult.TRUNCATED
              : n < 28 ? ParseResult.IPV4_OPTIONS_BEYOND_BUFFER : ParseResult.LENGTH_BEYOND_BUFFER;
      assertThat(r).as("length %d", n).isEqualTo(expected);
    }
  }

  @Test
  void rejectsIhlBelowFive() {
    byte[] p = Hex.bytes(OPTIONS_ESP);
    p[0] = 0x44;
    assertThat(new Ipv4Header().wrap(p, 0, p.length).validate())
        .isEqualTo(ParseResult.IPV4_BAD_IHL);
  }

  @Test
  void rejectsAnotherVersion() {
    byte[] p = Hex.bytes(OPTIONS_ESP);
    p[0] = 0x57;
    assertThat(new Ipv4Header().wrap(p, 0, p.length).validate()).isEqualTo(ParseResult.BAD_VERSION);
  }

  @Test
  void rejectsTotalLengthBelowHeaderLength() {
    byte[] p = Hex.bytes(OPTIONS_ESP);
    BigEndian.putU16(p, 2, 27);
    assertThat(new Ipv4Header().wrap(p, 0, p.length).validate())
        .isEqualTo(ParseResult.IPV4_BAD_TOTAL_LENGTH);
  }

  @Test
  void acceptsLinkLayerPaddingBeyondTotalLength() {
    byte[] p = Arrays.copyOf(Hex.bytes(OPTIONS_ESP), 60);
    Ipv4Header h = new Ipv4Header().wrap(p, 0, p.length);
    assertThat(h.validate()).isEqualTo(ParseResult.OK);
    assertThat(h.end()).isEqualTo(52);
  }

  @Test
  void rejectsOptionWithLengthBelowTwo() {
    byte[] p = Hex.bytes(OPTIONS_ESP);
    p[23] = 1; // Router Alert length 1
    assertThat(new Ipv4Header().wrap(p, 0, p.length).validate())
        .isEqualTo(ParseResult.IPV4_BAD_OPTION);
  }

  @Test
  void rejectsOptionRunningPastTheHeader() {
    byte[] p = Hex.bytes(OPTIONS_ESP);
    p[23] = 7; // Router Alert claims 7 bytes, 6 remain in the header
    assertThat(new Ipv4Header().wrap(p, 0, p.length).validate())
        .isEqualTo(ParseResult.IPV4_BAD_OPTION);
  }

  @Test
  void rejectsOptionTypeWithoutRoomForItsLength() {
    byte[] p = Hex.bytes(OPTIONS_ESP);
    // NOP NOP NOP then a Router Alert type byte as the header's last byte
    p[20] = 1;
    p[21] = 1;
    p[22] = 1;
    p[23] = 1;
    p[24] = 1;
    p[25] = 1;
    p[26] = 1;
    p[27] = (byte) 0x94;
    assertThat(new Ipv4Header().wrap(p, 0, p.length).validate())
        .isEqualTo(ParseResult.IPV4_BAD_OPTION);
  }

  @Test
  void stopsAtEndOfOptionList() {
    byte[] p = Hex.bytes(OPTIONS_ESP);
    p[20] = 0; // EOL: what follows is padding, even if it would not parse
    p[22] = (byte) 0x94;
    p[23] = 99;
    assertThat(new Ipv4Header().wrap(p, 0, p.length).validate()).isEqualTo(ParseResult.OK);
  }

  @Test
  void settersWriteInPlaceAndChecksumFollows() {
    byte[] p = Hex.bytes(OPTIONS_ESP);
    Ipv4Header h = new Ipv4Header().wrap(p, 0, p.length);
    h.ttl(63).protocol(17).tos(0xb8).totalLength(48).identification(0xbeef);
    h.flagsAndFragmentOffset(Ipv4Header.FLAG_MF | 3).source(0x0a000001).destination(0x0a000002);
    assertThat(h.isChecksumValid()).isFalse();
    h.updateChecksum();
    assertThat(h.isChecksumValid()).isTrue();
    assertThat(h.ttl()).isEqualTo(63);
    assertThat(h.protocol()).isEqualTo(17);
    assertThat(h.dscp()).isEqualTo(0x2e);
    assertThat(h.ecn()).isZero();
    assertThat(h.totalLength()).isEqualTo(48);
    assertThat(h.identification()).isEqualTo(0xbeef);
    assertThat(h.moreFragments()).isTrue();
    assertThat(h.fragmentOffset()).isEqualTo(3);
    assertThat(h.isFragment()).isTrue();
    assertThat(h.source()).isEqualTo(0x0a000001);
    assertThat(h.destination()).isEqualTo(0x0a000002);
  }

  @Test
  void writesAHeaderIntoARandomBufferThatScapyWouldBuild() {
    // scapy: IP(src='192.0.2.1', dst='192.0.2.2', id=1, ttl=64, proto=6, len=40) -> header below.
    byte[] expected = Hex.bytes("45000028000100004006f6cbc0000201c0000202");
    byte[] buf = new byte[20];
    new Random(7).nextBytes(buf); // a field the writer forgot shows up as noise
    new Ipv4Header()
        .wrap(buf, 0, 20)
        .versionAndIhl(5)
        .tos(0)
        .totalLength(40)
        .identification(1)
        .flagsAndFragmentOffset(0)
        .ttl(64)
        .protocol(6)
        .source(0xc0000201)
        .destination(0xc0000202)
        .updateChecksum();
    assertThat(Hex.of(buf)).isEqualTo(Hex.of(expected));
  }

  @Test
  void sameInputTwiceGivesSameAnswers() {
    byte[] p = Hex.bytes(OPTIONS_ESP);
    byte[] other = Hex.bytes(FlowExtractorTest.V4_TCP);
    Ipv4Header h = new Ipv4Header();
    assertThat(h.wrap(p, 0, p.length).validate()).isEqualTo(ParseResult.OK);
    int first = h.headerLength();
    assertThat(h.wrap(other, 0, other.length).validate()).isEqualTo(ParseResult.OK);
    assertThat(h.headerLength()).isEqualTo(20);
    assertThat(h.wrap(p, 0, p.length).validate()).isEqualTo(ParseResult.OK);
    assertThat(h.headerLength()).isEqualTo(first);
  }

  @Test
  void rejectsBoundsOutsideTheArray() {
    byte[] p = Hex.bytes(OPTIONS_ESP);
    assertThat(new Ipv4Header().wrap(p, 10, p.length).validate()).isEqualTo(ParseResult.TRUNCATED);
    assertThat(new Ipv4Header().wrap(p, -1, 20).validate()).isEqualTo(ParseResult.TRUNCATED);
  }
}
