package org.ipsecemu.datapath.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Ipv6ExtensionWalkerTest {
  // packet_vectors.py 'v6_chain_esp': IPv6(src='2001:db8::1', dst='2001:db8::2', fl=0xabcde)
  //   / Hop-by-Hop (PadN)                      at 40, 8 bytes
  //   / Destination Options (0x1e 'xy')        at 48, 8 bytes
  //   / Routing type 2, 0 left, 2001:db8::99   at 56, 24 bytes
  //   / Fragment (offset 0, M 0: atomic), nh 50 at 80, 8 bytes
  //   / ESP(spi 0x1001, seq 1) + 16 bytes      at 88
  static final String CHAIN_ESP =
      "600abcde 0048 00 40 20010db8000000000000000000000001 20010db8000000000000000000000002"
          + " 3c00 0104 00000000"
          + " 2b00 1e02 7879 0100"
          + " 2c02 0200 00000000 20010db8000000000000000000000099"
          + " 3200 0000 00001234"
          + " 00001001 00000001 000102030405060708090a0b0c0d0e0f";

  // 'v6_frag_tail': IPv6 / Fragment(nh=17, offset=8, m=1, id=5) / 8 bytes of the middle
  static final String FRAGMENT_TAIL =
      "60000000 0010 2c 40 20010db8000000000000000000000001 20010db8000000000000000000000002"
          + " 1100 0041 00000005 0102030405060708";

  private final Ipv6ExtensionWalker walker = new Ipv6ExtensionWalker();

  @Test
  void walksEveryExtensionHeaderTypeToEsp() {
    byte[] p = Hex.bytes(CHAIN_ESP);
    assertThat(walker.walk(p, 0, p.length)).isEqualTo(ParseResult.OK);
    assertThat(walker.protocol()).isEqualTo(50);
    assertThat(walker.protocolOffset()).isEqualTo(88);
    assertThat(walker.nextHeaderFieldOffset()).isEqualTo(80);
    assertThat(walker.extensionCount()).isEqualTo(4);
    assertThat(walker.routingHeaderOffset()).isEqualTo(56);
    assertThat(walker.fragmentHeaderOffset()).isEqualTo(80);
    assertThat(walker.isFragment()).as("atomic fragment").isFalse();
    assertThat(walker.isNonInitialFragment()).isFalse();
  }

  @Test
  void nextHeaderFieldOfTheFixedHeaderWhenNoExtensions() {
    byte[] p = Hex.bytes(CHAIN_ESP);
    byte[] direct = new byte[40 + 24];
    System.arraycopy(p, 0, direct, 0, 40);
    System.arraycopy(p, 88, direct, 40, 24);
    direct[6] = 50;
    BigEndian.putU16(direct, 4, 24);
    assertThat(walker.walk(direct, 0, direct.length)).isEqualTo(ParseResult.OK);
    assertThat(walker.protocolOffset()).isEqualTo(40);
    assertThat(walker.nextHeaderFieldOffset()).isEqualTo(6);
    assertThat(walker.extensionCount()).isZero();
  }

  @Test
  void stopsAtAh() {
    byte[] p = Hex.bytes(CHAIN_ESP);
    p[80] = 51;
    assertThat(walker.walk(p, 0, p.length)).isEqualTo(ParseResult.OK);
    assertThat(walker.protocol()).isEqualTo(51);
    assertThat(walker.protocolOffset()).isEqualTo(88);
  }

  @Test
  void stopsAtAnUnknownHeader() {
    byte[] p = Hex.bytes(CHAIN_ESP);
    p[48] = (byte) 253; // Destination Options says an experimental header follows
    assertThat(walker.walk(p, 0, p.length)).isEqualTo(ParseResult.OK);
    assertThat(walker.protocol()).isEqualTo(253);
    assertThat(walker.protocolOffset()).isEqualTo(56);
    assertThat(walker.nextHeaderFieldOffset()).isEqualTo(48);
  }

  @Test
  void stopsAtNoNextHeader() {
    byte[] p = Hex.bytes(CHAIN_ESP);
    p[40] = 59;
    assertThat(walker.walk(p, 0, p.length)).isEqualTo(ParseResult.OK);
    assertThat(walker.protocol()).isEqualTo(59);
    assertThat(walker.protocolOffset()).isEqualTo(48);
  }

  @Test
  void rejectsHopByHopAfterAnotherHeader() {
    byte[] p = Hex.bytes(CHAIN_ESP);
    p[48] = 0; // Destination Options followed by Hop-by-Hop
    assertThat(walker.walk(p, 0, p.length)).isEqualTo(ParseResult.IPV6_HOP_BY_HOP_NOT_FIRST);
  }

  @Test
  void rejectsHopByHopWhenWalkingOnFromAh() {
    byte[] p = Hex.bytes(CHAIN_ESP);
    assertThat(walker.walkFrom(p, 40, 0, 6, p.length))
        .isEqualTo(ParseResult.IPV6_HOP_BY_HOP_NOT_FIRST);
    assertThat(walker.walkFrom(p, 48, 60, 40, p.length)).isEqualTo(ParseResult.OK);
    assertThat(walker.protocolOffset()).isEqualTo(88);
  }

  @Test
  void reportsAChainRunningPastTheEndAtEveryTruncation() {
    byte[] p = Hex.bytes(CHAIN_ESP);
    for (int end = 40; end < 88; end++) {
      assertThat(walker.walk(Arrays.copyOf(p, end), 0, end))
          .as("end %d", end)
          .isEqualTo(ParseResult.EXTENSION_TRUNCATED);
    }
    // From 88 on the ESP header is reached; its own length is ESP's business.
    assertThat(walker.walk(Arrays.copyOf(p, 88), 0, 88)).isEqualTo(ParseResult.OK);
  }

  @Test
  void stopsAfterANonInitialFragmentHeader() {
    byte[] p = Hex.bytes(FRAGMENT_TAIL);
    assertThat(walker.walk(p, 0, p.length)).isEqualTo(ParseResult.OK);
    assertThat(walker.isFragment()).isTrue();
    assertThat(walker.isNonInitialFragment()).isTrue();
    assertThat(walker.protocol()).isEqualTo(17);
    assertThat(walker.protocolOffset()).isEqualTo(48);
    assertThat(walker.nextHeaderFieldOffset()).isEqualTo(40);
  }

  @Test
  void doesNotStepIntoTheDataOfANonInitialFragment() {
    byte[] p = Hex.bytes(FRAGMENT_TAIL);
    p[40] = 60; // the "next header" of a middle fragment names Destination Options...
    p[49] = (byte) 0xff; // ...whose bogus length would run past the end if it were walked
    assertThat(walker.walk(p, 0, p.length)).isEqualTo(ParseResult.OK);
    assertThat(walker.protocol()).isEqualTo(60);
    assertThat(walker.protocolOffset()).isEqualTo(48);
  }

  @Test
  void reusedWalkerForgetsThePreviousPacket() {
    byte[] chain = Hex.bytes(CHAIN_ESP);
    byte[] tail = Hex.bytes(FRAGMENT_TAIL);
    walker.walk(tail, 0, tail.length);
    assertThat(walker.walk(chain, 0, chain.length)).isEqualTo(ParseResult.OK);
    assertThat(walker.isNonInitialFragment()).isFalse();
    assertThat(walker.protocolOffset()).isEqualTo(88);
    assertThat(walker.walk(tail, 0, tail.length)).isEqualTo(ParseResult.OK);
    assertThat(walker.routingHeaderOffset()).isEqualTo(-1);
    assertThat(walker.protocolOffset()).isEqualTo(48);
  }

  @Test
  void ipv6HeaderViewReadsTheFixedFields() {
    byte[] p = Hex.bytes(CHAIN_ESP);
    Ipv6Header h = new Ipv6Header().wrap(p, 0, p.length);
    assertThat(h.validate()).isEqualTo(ParseResult.OK);
    assertThat(h.version()).isEqualTo(6);
    assertThat(h.trafficClass()).isZero();
    assertThat(h.flowLabel()).isEqualTo(0xabcde);
    assertThat(h.payloadLength()).isEqualTo(72);
    assertThat(h.nextHeader()).isEqualTo(0);
    assertThat(h.hopLimit()).isEqualTo(64);
    assertThat(h.sourceHigh()).isEqualTo(0x20010db800000000L);
    assertThat(h.sourceLow()).isEqualTo(1L);
    assertThat(h.destinationHigh()).isEqualTo(0x20010db800000000L);
    assertThat(h.destinationLow()).isEqualTo(2L);
    assertThat(h.end()).isEqualTo(112);
    h.trafficClass(0xb9).hopLimit(7).payloadLength(70).nextHeader(59);
    assertThat(h.trafficClass()).isEqualTo(0xb9);
    assertThat(h.flowLabel()).isEqualTo(0xabcde);
    assertThat(h.version()).isEqualTo(6);
    assertThat(h.hopLimit()).isEqualTo(7);
    assertThat(h.payloadLength()).isEqualTo(70);
    assertThat(h.nextHeader()).isEqualTo(59);
  }

  @Test
  void ipv6HeaderViewRejectsDefects() {
    byte[] p = Hex.bytes(CHAIN_ESP);
    Ipv6Header h = new Ipv6Header();
    for (int n = 0; n < 40; n++) {
      assertThat(h.wrap(p, 0, n).validate()).isEqualTo(ParseResult.TRUNCATED);
    }
    for (int n = 40; n < p.length; n++) {
      assertThat(h.wrap(p, 0, n).validate()).isEqualTo(ParseResult.LENGTH_BEYOND_BUFFER);
    }
    p[0] = 0x40;
    assertThat(h.wrap(p, 0, p.length).validate()).isEqualTo(ParseResult.BAD_VERSION);
  }
}
