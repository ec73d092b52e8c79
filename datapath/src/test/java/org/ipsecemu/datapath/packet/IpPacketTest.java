package org.ipsecemu.datapath.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class IpPacketTest {
  private final IpPacket packet = new IpPacket();

  @Test
  void findsEspBehindIpv4Options() {
    byte[] p = Hex.bytes(Ipv4HeaderTest.OPTIONS_ESP);
    assertThat(packet.parse(p, 0, p.length)).isEqualTo(ParseResult.OK);
    assertThat(packet.version()).isEqualTo(4);
    assertThat(packet.protocol()).isEqualTo(50);
    assertThat(packet.protocolOffset()).isEqualTo(28);
    assertThat(packet.protocolFieldOffset()).isEqualTo(9);
    assertThat(packet.headerLength()).isEqualTo(28);
    assertThat(packet.length()).isEqualTo(52);
    assertThat(packet.addressLength()).isEqualTo(4);
    assertThat(packet.sourceOffset()).isEqualTo(12);
    assertThat(packet.destinationOffset()).isEqualTo(16);
    assertThat(packet.isFragment()).isFalse();
  }

  @Test
  void findsEspBehindIpv6ExtensionHeaders() {
    byte[] p = Hex.bytes(Ipv6ExtensionWalkerTest.CHAIN_ESP);
    assertThat(packet.parse(p, 0, p.length)).isEqualTo(ParseResult.OK);
    assertThat(packet.version()).isEqualTo(6);
    assertThat(packet.protocol()).isEqualTo(50);
    assertThat(packet.protocolOffset()).isEqualTo(88);
    assertThat(packet.protocolFieldOffset()).isEqualTo(80);
    assertThat(packet.headerLength()).isEqualTo(88);
    assertThat(packet.length()).isEqualTo(112);
    assertThat(packet.addressLength()).isEqualTo(16);
    assertThat(packet.sourceOffset()).isEqualTo(8);
    assertThat(packet.destinationOffset()).isEqualTo(24);
  }

  @Test
  void offsetsAreAbsoluteInsideALargerBuffer() {
    byte[] v6 = Hex.bytes(Ipv6ExtensionWalkerTest.CHAIN_ESP);
    byte[] buf = new byte[v6.length + 100];
    System.arraycopy(v6, 0, buf, 50, v6.length);
    assertThat(packet.parse(buf, 50, v6.length + 10)).isEqualTo(ParseResult.OK);
    assertThat(packet.protocolOffset()).isEqualTo(138);
    assertThat(packet.protocolFieldOffset()).isEqualTo(130);
    assertThat(packet.end()).isEqualTo(162);
  }

  @Test
  void reportsBadVersionAndEmptyInput() {
    assertThat(packet.parse(new byte[0], 0, 0)).isEqualTo(ParseResult.TRUNCATED);
    byte[] p = Hex.bytes(Ipv4HeaderTest.OPTIONS_ESP);
    p[0] = 0x17;
    assertThat(packet.parse(p, 0, p.length)).isEqualTo(ParseResult.BAD_VERSION);
    assertThat(packet.version()).isZero();
  }

  @Test
  void neverAcceptsATruncatedPacket() {
    for (String hex :
        new String[] {Ipv4HeaderTest.OPTIONS_ESP, Ipv6ExtensionWalkerTest.CHAIN_ESP}) {
      byte[] full = Hex.bytes(hex);
      for (int n = 0; n < full.length; n++) {
        assertThat(packet.parse(Arrays.copyOf(full, n), 0, n))
            .as("length %d", n)
            .isNotEqualTo(ParseResult.OK);
      }
    }
  }

  @Property
  void neverThrowsOnArbitraryBytes(
      @ForAll @Size(max = 200) byte[] bytes, @ForAll @IntRange(min = 0, max = 2) int version) {
    // Bias the first nibble towards 4 and 6 so that the deeper parsers get exercised.
    if (bytes.length > 0 && version > 0) {
      bytes[0] = (byte) ((version == 1 ? 0x40 : 0x60) | (bytes[0] & 0x0f));
    }
    ParseResult r = packet.parse(bytes, 0, bytes.length);
    if (r.isOk()) {
      assertThat(packet.protocolOffset()).isBetween(0, packet.end());
      assertThat(packet.end()).isLessThanOrEqualTo(bytes.length);
    }
  }

  @Property
  void neverThrowsOnMutatedValidPackets(
      @ForAll @IntRange(min = 0, max = 111) int position,
      @ForAll byte value,
      @ForAll @IntRange(min = 0, max = 112) int length) {
    byte[] p = Hex.bytes(Ipv6ExtensionWalkerTest.CHAIN_ESP);
    p[position] = value;
    ParseResult r = packet.parse(p, 0, length);
    if (r.isOk()) {
      assertThat(packet.protocolOffset()).isBetween(40, packet.end());
    }
  }
}
