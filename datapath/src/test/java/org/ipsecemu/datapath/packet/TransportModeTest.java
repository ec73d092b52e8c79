package org.ipsecemu.datapath.packet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Transport-mode header rebuilding checked against scapy's own AH decapsulation ({@code
 * SecurityAssociation.decrypt}); vectors from ah/ah_vectors.py in the test resources.
 */
class TransportModeTest {
  // 'v4_options': IPv4 with 36 bytes of options (IHL 14), AH (24 bytes, next header ICMP), ICMP
  static final String V4_OPTIONS_AH =
      "4e100061432100001133ac23c000020ac000021401070708c633640194040000820b0123456789abcdef01"
          + "440c09000000303900000000000104000000004102000000011df46c3ec3ff00bb7b8b856e08002953"
          + "0001000270696e672d64617461";
  // 'v4_options_decap': what scapy makes of it: AH gone, protocol 1, length and checksum redone
  static final String V4_OPTIONS_DECAP =
      "4e100049432100001101ac6dc000020ac000021401070708c633640194040000820b0123456789abcdef01"
          + "440c0900000030390000000000080029530001000270696e672d64617461";
  // 'v6_ext': IPv6 / HBH (16) / DestOpts (16) / Routing type 0 (40) / AH (24) / UDP
  static final String V6_EXT_AH =
      "6b8123450072004020010db800000000000000000000000120010db8000100000000000000000001"
          + "3c01050200003e04aabbccdd01020000"
          + "2b011e0211223e033344550103000000"
          + "330400020000000020010db800010000000000000000000220010db8000200000000000000000002"
          + "110400000000410200000003efc8d1059082ae68255799ed"
          + "04d210e10012c8ac7636207061796c6f6164";
  // 'v6_ext_decap': the routing header's Next Header now says UDP, payload length 24 less
  static final String V6_EXT_DECAP =
      "6b812345005a004020010db800000000000000000000000120010db8000100000000000000000001"
          + "3c01050200003e04aabbccdd01020000"
          + "2b011e0211223e033344550103000000"
          + "110400020000000020010db800010000000000000000000220010db8000200000000000000000002"
          + "04d210e10012c8ac7636207061796c6f6164";

  @Test
  void removesAhFromIpv4WithOptionsAsScapyDoes() {
    byte[] buf = Hex.bytes(V4_OPTIONS_AH);
    IpPacket p = new IpPacket();
    assertThat(p.parse(buf, 0, buf.length)).isEqualTo(ParseResult.OK);
    int ahLength = 24;
    int nextHeader = buf[p.protocolOffset()] & 0xff;
    int ip = TransportMode.closeGap(buf, 0, p.headerLength(), ahLength);
    assertThat(ip).isEqualTo(24);
    assertThat(TransportMode.rewriteIpv4(buf, ip, nextHeader, p.length() - ahLength)).isTrue();
    assertThat(Hex.of(buf, ip, buf.length - ip)).isEqualTo(Hex.of(Hex.bytes(V4_OPTIONS_DECAP)));
  }

  @Test
  void removesAhBehindIpv6ExtensionHeadersAsScapyDoes() {
    byte[] buf = Hex.bytes(V6_EXT_AH);
    IpPacket p = new IpPacket();
    assertThat(p.parse(buf, 0, buf.length)).isEqualTo(ParseResult.OK);
    assertThat(p.protocol()).isEqualTo(51);
    assertThat(p.protocolFieldOffset()).isEqualTo(72);
    int ahLength = 24;
    int nextHeader = buf[p.protocolOffset()] & 0xff;
    int ip = TransportMode.closeGap(buf, 0, p.headerLength(), ahLength);
    int field = p.protocolFieldOffset() + ahLength;
    assertThat(TransportMode.rewriteIpv6(buf, ip, field, nextHeader, p.length() - ahLength))
        .isTrue();
    assertThat(Hex.of(buf, ip, buf.length - ip)).isEqualTo(Hex.of(Hex.bytes(V6_EXT_DECAP)));
  }

  @Test
  void opensAGapBeforeThePayloadForOutboundHeaders() {
    byte[] plain = Hex.bytes(V4_OPTIONS_DECAP);
    int headroom = 24;
    byte[] buf = new byte[headroom + plain.length];
    System.arraycopy(plain, 0, buf, headroom, plain.length);
    int ip = TransportMode.openGap(buf, headroom, 56, 24);
    assertThat(ip).isZero();
    assertThat(Hex.of(buf, 0, 56)).isEqualTo(Hex.of(plain, 0, 56));
    assertThat(Hex.of(buf, 80, buf.length - 80)).isEqualTo(Hex.of(plain, 56, plain.length - 56));
  }

  @Test
  void refusesLengthsTheHeadersCannotCarry() {
    byte[] v4 = Hex.bytes(V4_OPTIONS_DECAP);
    byte[] before = v4.clone();
    assertThat(TransportMode.rewriteIpv4(v4, 0, 6, 0x10000)).isFalse();
    assertThat(TransportMode.rewriteIpv4(v4, 0, 6, 19)).isFalse();
    assertThat(v4).isEqualTo(before);
    byte[] v6 = Hex.bytes(V6_EXT_DECAP);
    byte[] before6 = v6.clone();
    assertThat(TransportMode.rewriteIpv6(v6, 0, 72, 6, 40 + 0x10000)).isFalse();
    assertThat(TransportMode.rewriteIpv6(v6, 0, 72, 6, 39)).isFalse();
    assertThat(v6).isEqualTo(before6);
  }
}
